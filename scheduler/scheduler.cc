#include "scheduler/scheduler.h"

#include <cmath>
#include <utility>

#include "scheduler/scheduler_impl.h"

namespace whoisq::scheduler {

using schema::ErrorCode;

namespace {

schema::Status Invalid(const std::string& where, const char* what) {
  return {ErrorCode::kMalformed, where + " " + what};  // as config/ reports bad options
}

schema::Status CheckLimits(const std::string& where, const Limits& l) {
  if (!std::isfinite(l.per_second) || l.per_second < 0) {
    return Invalid(where + ".per_second", "must be a number >= 0 (0 = unlimited)");
  }
  if (l.burst < 1) return Invalid(where + ".burst", "must be >= 1");
  return schema::Status::Ok();
}

bool SameBudget(const Limits& a, const Limits& b) {
  return a.concurrency == b.concurrency && a.per_second == b.per_second && a.burst == b.burst &&
         a.daily == b.daily;
}

}  // namespace

schema::Status ValidateOptions(const Options& options) {
  if (schema::Status st = CheckLimits("default_limits", options.default_limits); !st.ok()) {
    return st;
  }
  std::map<std::string, std::pair<std::string, const Limits*>> groups;  // group -> first host
  if (!options.default_limits.group.empty()) {
    groups.emplace(options.default_limits.group,
                   std::make_pair(std::string("default_limits"), &options.default_limits));
  }
  for (const auto& [host, limits] : options.servers) {
    std::string where = "servers[" + host + "]";
    if (host.empty()) return Invalid("servers[]", "host name must not be empty");
    if (schema::Status st = CheckLimits(where, limits); !st.ok()) return st;
    if (limits.group.empty()) continue;
    auto [it, added] = groups.emplace(limits.group, std::make_pair(where, &limits));
    if (!added && !SameBudget(*it->second.second, limits)) {
      return Invalid(where, ("limits differ from " + it->second.first + " in group \"" +
                             limits.group + "\"; a group has one budget")
                                .c_str());
    }
  }
  if (options.lease_ms <= 0) return Invalid("lease_ms", "must be > 0");
  const BackoffOptions& b = options.backoff;
  if (!(b.decrease_factor > 0 && b.decrease_factor < 1)) {
    return Invalid("backoff.decrease_factor", "must be in (0, 1)");
  }
  if (!(b.min_per_second > 0) || !std::isfinite(b.min_per_second)) {
    return Invalid("backoff.min_per_second", "must be > 0");
  }
  if (b.pause_initial_ms < 0) return Invalid("backoff.pause_initial_ms", "must be >= 0");
  if (b.pause_max_ms < b.pause_initial_ms) {
    return Invalid("backoff.pause_max_ms", "must be >= backoff.pause_initial_ms");
  }
  if (!(b.increase_fraction > 0 && b.increase_fraction <= 1)) {
    return Invalid("backoff.increase_fraction", "must be in (0, 1]");
  }
  if (b.increase_every < 1) return Invalid("backoff.increase_every", "must be >= 1");
  if (!(b.safe_fraction > 0 && b.safe_fraction <= 1)) {
    return Invalid("backoff.safe_fraction", "must be in (0, 1]");
  }
  if (!(b.probe_fraction > 0 && b.probe_fraction <= 1)) {
    return Invalid("backoff.probe_fraction", "must be in (0, 1]");
  }
  if (b.probe_every < 1) return Invalid("backoff.probe_every", "must be >= 1");
  if (b.probe_every_growth < 1) return Invalid("backoff.probe_every_growth", "must be >= 1");
  if (b.probe_every_max < b.probe_every) {
    return Invalid("backoff.probe_every_max", "must be >= backoff.probe_every");
  }
  if (b.forget_after_ms <= 0) return Invalid("backoff.forget_after_ms", "must be > 0");
  return schema::Status::Ok();
}

Scheduler::Scheduler(Options options) : impl_(std::make_unique<SchedulerImpl>(std::move(options))) {}
Scheduler::~Scheduler() = default;
Scheduler::Scheduler(Scheduler&&) noexcept = default;
Scheduler& Scheduler::operator=(Scheduler&&) noexcept = default;

void Scheduler::RestoreDaily(const std::string& limit_key, int64_t day, uint64_t used) {
  impl_->RestoreDaily(limit_key, day, used);
}
void Scheduler::AssumeRestart(int64_t now_ms) { impl_->AssumeRestart(now_ms); }
void Scheduler::AdoptToken(uint64_t token_id, const std::string& server, int64_t lease_until_ms,
                           int64_t now_ms) {
  impl_->AdoptToken(token_id, server, lease_until_ms, now_ms);
}
void Scheduler::Enqueue(const Request& request, int64_t now_ms) { impl_->Enqueue(request, now_ms); }
bool Scheduler::Cancel(uint64_t request_id) { return impl_->Cancel(request_id); }
std::vector<Grant> Scheduler::Dispatch(int64_t now_ms, size_t max_grants) {
  return impl_->DispatchUs(MsToUs(now_ms), max_grants);
}

std::vector<Grant> Scheduler::DispatchUs(int64_t now_us, size_t max_grants) {
  return impl_->DispatchUs(now_us, max_grants);
}
std::vector<Rejection> Scheduler::TakeRejections(int64_t now_ms) {
  return impl_->TakeRejections(now_ms);
}
void Scheduler::Release(uint64_t token_id, Outcome outcome, int64_t now_ms,
                        int64_t retry_after_ms) {
  impl_->Release(token_id, outcome, now_ms, retry_after_ms);
}
std::vector<uint64_t> Scheduler::ExpireLeases(int64_t now_ms) { return impl_->ExpireLeases(now_ms); }
int64_t Scheduler::NextWakeup(int64_t now_ms, bool can_dispatch) const {
  return CeilMs(impl_->NextWakeupUs(MsToUs(now_ms), can_dispatch));
}

int64_t Scheduler::NextWakeupUs(int64_t now_us, bool can_dispatch) const {
  return impl_->NextWakeupUs(now_us, can_dispatch);
}
int64_t Scheduler::EstimatedStart(uint64_t request_id, int64_t now_ms) const {
  return impl_->EstimatedStart(request_id, now_ms);
}
std::string Scheduler::LimitKey(const std::string& server) const { return impl_->LimitKey(server); }
size_t Scheduler::queued() const { return impl_->queued(); }
size_t Scheduler::tokens_out() const { return impl_->tokens_out(); }
std::vector<schema::ServerStats> Scheduler::Stats(int64_t now_ms) const {
  return impl_->Stats(now_ms);
}
std::vector<LearnedLimit> Scheduler::ExportLearned() const { return impl_->ExportLearned(); }
void Scheduler::RestoreLearned(const LearnedLimit& learned, int64_t now_ms) {
  impl_->RestoreLearned(learned, now_ms);
}

}  // namespace whoisq::scheduler
