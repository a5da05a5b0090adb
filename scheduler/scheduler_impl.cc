#include "scheduler/scheduler_impl.h"

#include <algorithm>
#include <cassert>
#include <utility>

namespace whoisq::scheduler {

using schema::ErrorCode;

namespace {

constexpr uint32_t kCompactMinStale = 32;  // stale entries a client queue may keep

}  // namespace

SchedulerImpl::SchedulerImpl(Options options)
    : options_(std::move(options)), next_token_id_(std::max<uint64_t>(options_.first_token_id, 1)) {
  // std::map iterates in order: a group takes the limits of its first host.
  for (const auto& [host, limits] : options_.servers) {
    if (!limits.group.empty()) group_limits_.emplace(limits.group, limits);
  }
  if (!options_.default_limits.group.empty()) {
    group_limits_.emplace(options_.default_limits.group, options_.default_limits);
  }
  for (const auto& [host, limits] : options_.servers) InternHost(host);
}

// ---------------------------------------------------------------- interning

const Limits& SchedulerImpl::LimitsOfHost(const std::string& host) const {
  auto it = options_.servers.find(host);
  return it == options_.servers.end() ? options_.default_limits : it->second;
}

Limits SchedulerImpl::LimitsOfKey(const std::string& key) const {
  if (auto g = group_limits_.find(key); g != group_limits_.end()) return g->second;
  Limits l = LimitsOfHost(key);
  l.group.clear();
  return l;
}

std::string SchedulerImpl::LimitKey(const std::string& server) const {
  const Limits& l = LimitsOfHost(server);
  return l.group.empty() ? server : l.group;
}

uint32_t SchedulerImpl::InternKey(const std::string& key) {
  auto [it, added] = key_index_.try_emplace(key, static_cast<uint32_t>(keys_.size()));
  if (added) {
    LimitState state(key, LimitsOfKey(key), &options_.backoff);
    if (restart_ms_ != INT64_MIN) state.StartEmpty(restart_ms_);
    keys_.push_back(Key{std::move(state), Ring{}, 0, INT64_MIN, 0});
  }
  return it->second;
}

uint32_t SchedulerImpl::InternHost(const std::string& host) {
  auto it = host_index_.find(host);
  if (it != host_index_.end()) return it->second;
  uint32_t key = InternKey(LimitKey(host));
  uint32_t h = static_cast<uint32_t>(hosts_.size());
  hosts_.push_back(Host{});
  hosts_.back().name = host;
  hosts_.back().key = key;
  host_index_.emplace(host, h);
  return h;
}

uint32_t SchedulerImpl::InternClient(const std::string& client) {
  auto [it, added] = client_index_.try_emplace(client, 0);
  if (added) {
    uint32_t c;
    if (!free_clients_.empty()) {
      c = free_clients_.back();
      free_clients_.pop_back();
      client_names_[c] = client;
    } else {
      c = static_cast<uint32_t>(client_names_.size());
      client_names_.push_back(client);
      client_refs_.push_back(0);
    }
    it->second = c;
  }
  return it->second;
}

void SchedulerImpl::ReleaseClient(uint32_t client) {
  if (--client_refs_[client] != 0) return;
  client_index_.erase(client_names_[client]);
  client_names_[client].clear();
  client_names_[client].shrink_to_fit();
  free_clients_.push_back(client);
}

uint32_t SchedulerImpl::FindOrAddClientQueue(uint32_t host, uint32_t client) {
  uint64_t k = static_cast<uint64_t>(host) << 32 | client;
  uint32_t q = queue_index_.Find(k);
  if (q == IdMap::kNone) {
    if (!free_queues_.empty()) {
      q = free_queues_.back();
      free_queues_.pop_back();
    } else {
      q = static_cast<uint32_t>(queues_.size());
      queues_.emplace_back();
    }
    ClientQueueNode& n = queues_[q];
    n.client = client;
    n.host = host;
    n.live = 0;
    ++client_refs_[client];
    queue_index_.Insert(k, q);
  }
  return q;
}

// ---------------------------------------------------------------- queueing

bool SchedulerImpl::Live(const QueueEntry& e) const { return slots_[e.slot].seq == e.seq; }

void SchedulerImpl::Reschedule(uint32_t key) {
  Key& k = keys_[key];
  if (k.queued == 0 || k.state.ConcurrencyFull()) {
    eligible_.Remove(key);
  } else {
    // Keys due at the same time are served in turn (the one served last goes
    // last); clamping to the last grant keeps an unlimited key, always due,
    // from taking every grant of a Dispatch call.
    eligible_.Set(key, std::max(k.state.EligibleUs(), k.last_grant_us), k.served);
  }
}

void SchedulerImpl::RestoreDaily(const std::string& limit_key, int64_t day, uint64_t used) {
  uint32_t key = InternKey(limit_key);
  keys_[key].state.RestoreDaily(day, used);
  Reschedule(key);
}

void SchedulerImpl::AssumeRestart(int64_t now_ms) {
  restart_ms_ = now_ms;
  for (uint32_t key = 0; key < keys_.size(); ++key) {
    keys_[key].state.StartEmpty(now_ms);
    Reschedule(key);
  }
}

void SchedulerImpl::Enqueue(const Request& request, int64_t now_ms) {
  if (slot_index_.Find(request.id) != IdMap::kNone) {
    assert(false && "duplicate request id");
    return;
  }
  if (request.deadline_ms != 0 && request.deadline_ms <= now_ms) {
    rejections_.push_back({request.id, ErrorCode::kDeadline, "deadline passed before queueing"});
    return;
  }
  uint32_t host = InternHost(request.server);
  uint32_t key = hosts_[host].key;
  LimitState& state = keys_[key].state;
  int64_t today = DayOf(now_ms);
  if (request.deadline_ms != 0 && state.DailySpent(today) &&
      request.deadline_ms <= (today + 1) * kDayMs) {
    rejections_.push_back({request.id, ErrorCode::kQuotaExhausted,
                           "daily quota of " + state.name() + " spent before the deadline"});
    return;
  }

  uint32_t s;
  if (free_slot_ != kNil) {
    s = free_slot_;
    free_slot_ = slots_[s].queue;
  } else {
    s = static_cast<uint32_t>(slots_.size());
    slots_.emplace_back();
  }
  uint32_t q = FindOrAddClientQueue(host, InternClient(request.client));
  Slot& slot = slots_[s];
  slot.id = request.id;
  slot.deadline_ms = request.deadline_ms;
  slot.seq = request.retry ? --head_seq_ : ++tail_seq_;
  slot.queue = q;
  slot.priority = request.priority;
  slot_index_.Insert(request.id, s);
  if (request.deadline_ms != 0) deadlines_.Set(s, request.deadline_ms);

  ClientQueueNode& n = queues_[q];
  n.queue.Push({slot.seq, slot.priority, s});
  Host& h = hosts_[host];
  if (n.live++ == 0) {
    h.clients.Insert(q, [this](uint32_t i) -> RingLinks& { return queues_[i].links; });
  }
  Key& k = keys_[key];
  if (h.queued++ == 0) {
    k.hosts.Insert(host, [this](uint32_t i) -> RingLinks& { return hosts_[i].links; });
  }
  ++k.queued;
  ++queued_;
  Reschedule(key);
}

void SchedulerImpl::RemoveQueued(uint32_t s) {
  Slot& slot = slots_[s];
  uint32_t q = slot.queue;
  slot_index_.Erase(slot.id);
  deadlines_.Remove(s);
  slot.seq = 0;  // its queue entry is stale from now on
  slot.queue = free_slot_;
  free_slot_ = s;

  ClientQueueNode& n = queues_[q];
  uint32_t host = n.host;
  Host& h = hosts_[host];
  Key& k = keys_[h.key];
  --k.queued;
  --queued_;
  if (--n.live == 0) {
    h.clients.Remove(q, [this](uint32_t i) -> RingLinks& { return queues_[i].links; });
    n.queue.Clear();
    queue_index_.Erase(static_cast<uint64_t>(host) << 32 | n.client);
    ReleaseClient(n.client);
    free_queues_.push_back(q);
  } else {
    CompactIfStale(q);
  }
  if (--h.queued == 0) {
    k.hosts.Remove(host, [this](uint32_t i) -> RingLinks& { return hosts_[i].links; });
  }
}

void SchedulerImpl::CompactIfStale(uint32_t q) {
  ClientQueueNode& n = queues_[q];
  size_t stale = n.queue.size() - n.live;
  if (stale > kCompactMinStale && stale > n.live) {
    n.queue.RemoveIf([this](const QueueEntry& e) { return !Live(e); });
  }
}

bool SchedulerImpl::Cancel(uint64_t request_id) {
  uint32_t s = slot_index_.Find(request_id);
  if (s == IdMap::kNone) return false;
  uint32_t key = hosts_[queues_[slots_[s].queue].host].key;
  RemoveQueued(s);
  Reschedule(key);
  return true;
}

void SchedulerImpl::Reject(uint32_t s, ErrorCode code, const char* why) {
  rejections_.push_back({slots_[s].id, code, why});
  RemoveQueued(s);
}

void SchedulerImpl::ExpireDeadlines(int64_t now_ms) {
  while (!deadlines_.empty() && deadlines_.TopTime() <= now_ms) {
    uint32_t s = deadlines_.TopHandle();
    uint32_t key = hosts_[queues_[slots_[s].queue].host].key;
    Reject(s, ErrorCode::kDeadline, "deadline passed while queued");
    Reschedule(key);
  }
}

void SchedulerImpl::RejectOverQuota(uint32_t key) {
  Key& k = keys_[key];
  int64_t next_day = (k.state.counted_day() + 1) * kDayMs;
  std::vector<uint32_t> doomed;
  std::vector<uint32_t> queues;
  // Walk the rings without changing them, then remove.
  uint32_t h0 = k.hosts.cursor();
  for (uint32_t h = h0; h != kNil;) {
    uint32_t q0 = hosts_[h].clients.cursor();
    for (uint32_t q = q0; q != kNil;) {
      queues.push_back(q);
      q = queues_[q].links.next;
      if (q == q0) break;
    }
    h = hosts_[h].links.next;
    if (h == h0) break;
  }
  for (uint32_t q : queues) {
    queues_[q].queue.ForEach([&](const QueueEntry& e) {
      if (!Live(e)) return;
      int64_t d = slots_[e.slot].deadline_ms;
      if (d != 0 && d <= next_day) doomed.push_back(e.slot);
    });
  }
  for (uint32_t s : doomed) {
    Reject(s, ErrorCode::kQuotaExhausted, "daily quota spent before the deadline");
  }
  // Drop the stale entries now rather than one by one at the head.
  for (uint32_t q : queues) {
    if (queues_[q].live != 0) {
      queues_[q].queue.RemoveIf([this](const QueueEntry& e) { return !Live(e); });
    }
  }
}

// ---------------------------------------------------------------- dispatch

std::vector<Grant> SchedulerImpl::DispatchUs(int64_t now_us, size_t max_grants) {
  // Deadlines, leases and days are whole ms: a request whose deadline is the
  // next ms may still be granted in this one.
  const int64_t now_ms = FloorMs(now_us);
  ExpireDeadlines(now_ms);
  std::vector<Grant> grants;
  if (!eligible_.empty() && eligible_.TopTime() <= now_us) {
    grants.reserve(std::min<size_t>({max_grants, queued_, 4096}));
  }
  auto host_links = [this](uint32_t i) -> RingLinks& { return hosts_[i].links; };
  auto queue_links = [this](uint32_t i) -> RingLinks& { return queues_[i].links; };
  while (grants.size() < max_grants && !eligible_.empty() && eligible_.TopTime() <= now_us) {
    uint32_t key = eligible_.TopHandle();
    Key& k = keys_[key];
    // Round-robin over the hosts of the key, then over the clients of the host.
    uint32_t host = k.hosts.cursor();
    k.hosts.Advance(host_links);
    Host& h = hosts_[host];
    uint32_t q = h.clients.cursor();
    h.clients.Advance(queue_links);
    ClientQueue& queue = queues_[q].queue;
    while (!Live(queue.Top())) queue.Pop();
    uint32_t s = queue.Top().slot;
    queue.Pop();
    uint64_t request_id = slots_[s].id;
    RemoveQueued(s);

    uint32_t out_before = k.state.tokens_out();
    auto [day, used] = k.state.OnGrantUs(now_us);
    k.last_grant_us = now_us;
    k.served = ++dispatch_seq_;
    ++h.granted;
    uint64_t token_id = next_token_id_++;
    // An adopted token of the previous process may hold this id (when
    // first_token_id did not move past the old ids).
    while (token_id <= max_adopted_id_ && tokens_.Find(token_id) != IdMap::kNone) {
      token_id = next_token_id_++;
    }
    int64_t lease_until = now_ms + options_.lease_ms;
    AddToken(token_id, host, now_ms, out_before, lease_until);

    Grant& g = grants.emplace_back();
    g.request_id = request_id;
    g.token.id = token_id;
    g.token.server = h.name;
    g.token.lease_until_ms = lease_until;
    g.limit_key = k.state.name();
    g.day = day;
    g.daily_used = used;

    if (k.state.DailySpent(day)) RejectOverQuota(key);
    Reschedule(key);
  }
  return grants;
}

void SchedulerImpl::AddToken(uint64_t token_id, uint32_t host, int64_t granted_ms,
                             uint32_t out_before, int64_t lease_until_ms) {
  uint32_t t;
  if (!free_tokens_.empty()) {
    t = free_tokens_.back();
    free_tokens_.pop_back();
  } else {
    t = static_cast<uint32_t>(tokens_slab_.size());
    tokens_slab_.emplace_back();
  }
  tokens_slab_[t] = {token_id, granted_ms, host, out_before};
  tokens_.Insert(token_id, t);
  leases_.Set(t, lease_until_ms);
  ++hosts_[host].tokens_out;
}

void SchedulerImpl::AdoptToken(uint64_t token_id, const std::string& server,
                               int64_t lease_until_ms, int64_t now_ms) {
  if (lease_until_ms <= now_ms || tokens_.Find(token_id) != IdMap::kNone) return;
  uint32_t host = InternHost(server);
  uint32_t key = hosts_[host].key;
  AddToken(token_id, host, now_ms, keys_[key].state.tokens_out(), lease_until_ms);
  max_adopted_id_ = std::max(max_adopted_id_, token_id);
  keys_[key].state.OnAdopt();
  Reschedule(key);
}

std::vector<Rejection> SchedulerImpl::TakeRejections(int64_t now_ms) {
  ExpireDeadlines(now_ms);
  return std::exchange(rejections_, {});
}

void SchedulerImpl::Release(uint64_t token_id, Outcome outcome, int64_t now_ms,
                            int64_t retry_after_ms) {
  uint32_t t = tokens_.Find(token_id);
  if (t == IdMap::kNone) return;
  tokens_.Erase(token_id);
  leases_.Remove(t);
  free_tokens_.push_back(t);
  const TokenRecord& rec = tokens_slab_[t];
  Host& h = hosts_[rec.host];
  --h.tokens_out;
  keys_[h.key].state.OnRelease(outcome, rec.granted_ms, rec.out_before, now_ms, retry_after_ms);
  Reschedule(h.key);
}

std::vector<uint64_t> SchedulerImpl::ExpireLeases(int64_t now_ms) {
  std::vector<uint64_t> expired;
  while (!leases_.empty() && leases_.TopTime() <= now_ms) {
    uint32_t t = leases_.TopHandle();
    leases_.Pop();
    const TokenRecord& rec = tokens_slab_[t];
    tokens_.Erase(rec.id);
    free_tokens_.push_back(t);
    expired.push_back(rec.id);
    Host& h = hosts_[rec.host];
    --h.tokens_out;
    keys_[h.key].state.OnExpire();
    Reschedule(h.key);
  }
  return expired;
}

int64_t SchedulerImpl::NextWakeupUs(int64_t now_us, bool can_dispatch) const {
  if (!rejections_.empty()) return now_us;
  int64_t t = MsToUs(std::min(deadlines_.TopTimeOr(INT64_MAX), leases_.TopTimeOr(INT64_MAX)));
  if (can_dispatch) t = std::min(t, eligible_.TopTimeOr(INT64_MAX));
  return std::max(t, now_us);
}

// ---------------------------------------------------------------- queries

int64_t SchedulerImpl::EstimatedStart(uint64_t request_id, int64_t now_ms) const {
  uint32_t s = slot_index_.Find(request_id);
  if (s == IdMap::kNone) return -1;
  const Slot& slot = slots_[s];
  const QueueEntry self{slot.seq, slot.priority, s};
  const ClientQueueNode& own = queues_[slot.queue];
  const Host& host = hosts_[own.host];
  const Key& key = keys_[host.key];
  // Position in its own client queue.
  uint64_t pos = 0;
  own.queue.ForEach([&](const QueueEntry& e) {
    if (Live(e) && ClientQueue::Before(e, self)) ++pos;
  });
  // Round-robin from the cursor: a client before this one in the rotation is
  // served up to pos + 1 times before it, one after it up to pos times. The
  // same holds for the hosts of a group, counting this host's turns.
  uint64_t in_host = pos;
  bool passed = false;
  uint32_t q0 = host.clients.cursor();
  for (uint32_t q = q0; q != kNil;) {
    if (q == slot.queue) {
      passed = true;
    } else {
      in_host += std::min<uint64_t>(queues_[q].live, passed ? pos : pos + 1);
    }
    q = queues_[q].links.next;
    if (q == q0) break;
  }
  uint64_t ahead = in_host;
  passed = false;
  uint32_t h0 = key.hosts.cursor();
  for (uint32_t h = h0; h != kNil;) {
    if (&hosts_[h] == &host) {
      passed = true;
    } else {
      ahead += std::min<uint64_t>(hosts_[h].queued, passed ? in_host : in_host + 1);
    }
    h = hosts_[h].links.next;
    if (h == h0) break;
  }
  return key.state.EstimateNthMs(ahead, now_ms);
}

std::vector<schema::ServerStats> SchedulerImpl::Stats(int64_t now_ms) const {
  std::vector<schema::ServerStats> out;
  out.reserve(hosts_.size());
  for (const Host& h : hosts_) {
    const LimitState& st = keys_[h.key].state;
    schema::ServerStats s;
    s.server = h.name;
    s.limit_key = st.name();
    s.tokens_out = h.tokens_out;
    s.concurrency = st.configured().concurrency;
    s.per_second = st.configured().per_second;
    s.effective_concurrency = st.effective_concurrency();
    s.effective_per_second = st.effective_per_second();
    s.spent_today = st.DailyUsed(DayOf(now_ms));
    s.daily = st.configured().daily;
    s.queued = h.queued;
    s.granted = h.granted;
    s.throttles = st.throttles();
    s.paused_until_ms = st.paused_until_ms();
    s.next_eligible_ms = std::max(now_ms, st.EligibleMs());
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<LearnedLimit> SchedulerImpl::ExportLearned() const {
  std::vector<LearnedLimit> out;
  for (const Key& k : keys_) {
    if (k.state.HasLearned()) out.push_back(k.state.ExportLearned());
  }
  return out;
}

void SchedulerImpl::RestoreLearned(const LearnedLimit& learned, int64_t now_ms) {
  uint32_t key = InternKey(learned.limit_key);
  keys_[key].state.RestoreLearned(learned, now_ms);
  Reschedule(key);
}

}  // namespace whoisq::scheduler
