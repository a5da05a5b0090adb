#include "tools/cli/subscribe_command.h"

#include <csignal>
#include <cstdio>
#include <algorithm>
#include <memory>

#include "client/client.h"
#include "schema/json.h"
#include "tools/cli/broker_endpoint.h"

namespace whoisq::cli {
namespace {

volatile std::sig_atomic_t g_stop = 0;
void OnSignal(int) { g_stop = 1; }

struct SubscribeFlags {
  BrokerFlags broker;
  std::string topic;
  uint64_t count = 0;
  double timeout_s = 0;
};

struct StatsFlags {
  BrokerFlags broker;
  bool json = false;
};

std::string FormatTime(int64_t unix_ms, int64_t now_ms) {
  if (unix_ms <= 0) return "-";
  if (unix_ms <= now_ms) return "now";
  char buf[32];
  std::snprintf(buf, sizeof(buf), "+%.1fs", (unix_ms - now_ms) / 1000.0);
  return buf;
}

}  // namespace

void AddSubscribeCommand(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<SubscribeFlags>();
  CLI::App* sub = app.add_subcommand("subscribe", "Print the result stream as JSON lines");
  AddBrokerFlags(sub, flags->broker, "broker publish endpoint (default: [broker] publish)");
  sub->add_option("--topic", flags->topic,
                  "topic prefix, e.g. 'domain/uk/' or 'ip/' (topics: <type>/<tld>/<name>)");
  sub->add_option("--count", flags->count, "stop after this many results (0: never)");
  sub->add_option("--timeout", flags->timeout_s, "stop after this many idle seconds (0: never)");
  sub->callback([flags, &exit_code] {
    std::string endpoint = ResolveEndpoint(flags->broker, true);
    if (endpoint.empty()) {
      exit_code = 2;
      return;
    }
    auto s = client::Subscriber::Connect(endpoint, flags->topic);
    if (!s.ok()) {
      std::fprintf(stderr, "whoisq: %s\n", s.status().ToString().c_str());
      exit_code = 1;
      return;
    }
    std::signal(SIGINT, OnSignal);
    std::signal(SIGTERM, OnSignal);
    uint64_t seen = 0;
    auto idle = std::chrono::steady_clock::now();
    while (!g_stop && (flags->count == 0 || seen < flags->count)) {
      auto event = (*s)->Receive(std::chrono::milliseconds(200));
      if (!event.ok()) {
        if (event.status().code() != schema::ErrorCode::kTimeout) {
          std::fprintf(stderr, "whoisq: %s\n", event.status().ToString().c_str());
        }
        if (flags->timeout_s > 0 &&
            std::chrono::steady_clock::now() - idle > std::chrono::duration<double>(flags->timeout_s)) {
          break;
        }
        continue;
      }
      idle = std::chrono::steady_clock::now();
      nlohmann::json j = schema::ToJson(event->result);
      j["topic"] = event->topic;
      std::printf("%s\n", j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
      std::fflush(stdout);
      ++seen;
    }
    exit_code = 0;
  });
}

void AddStatsCommand(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<StatsFlags>();
  CLI::App* sub = app.add_subcommand("stats", "Show the broker's counters and every server's limits");
  AddBrokerFlags(sub, flags->broker, "broker client endpoint (default: [broker] frontend)");
  sub->add_flag("--json", flags->json, "print JSON");
  sub->callback([flags, &exit_code] {
    auto c = ConnectClient(flags->broker, exit_code);
    if (!c) return;
    auto s = c->Stats(std::chrono::seconds(5));
    if (!s.ok()) {
      std::fprintf(stderr, "whoisq: %s (is the broker running at %s?)\n",
                   s.status().ToString().c_str(), ResolveEndpoint(flags->broker, false).c_str());
      exit_code = 1;
      return;
    }
    int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
    if (flags->json) {
      nlohmann::json j = {{"accepted", s->accepted}, {"answered", s->answered},
                          {"cache_hits", s->cache_hits}, {"coalesced", s->coalesced},
                          {"in_flight", s->in_flight}, {"workers", s->workers},
                          {"free_slots", s->free_slots}};
      nlohmann::json servers = nlohmann::json::array();
      for (const auto& v : s->servers) {
        servers.push_back({{"server", v.server}, {"limit_key", v.limit_key},
                           {"tokens_out", v.tokens_out}, {"concurrency", v.concurrency},
                           {"per_second", v.per_second},
                           {"effective_concurrency", v.effective_concurrency},
                           {"effective_per_second", v.effective_per_second},
                           {"spent_today", v.spent_today}, {"daily", v.daily},
                           {"queued", v.queued}, {"granted", v.granted},
                           {"throttles", v.throttles}, {"next_eligible_ms", v.next_eligible_ms},
                           {"paused_until_ms", v.paused_until_ms}});
      }
      j["servers"] = servers;
      j["bootstrap"] = s->bootstrap;
      std::printf("%s\n", j.dump(2).c_str());
    } else {
      std::printf("accepted %llu  answered %llu  cache hits %llu  coalesced %llu  in flight %llu  "
                  "workers %u  free slots %u\n",
                  (unsigned long long)s->accepted, (unsigned long long)s->answered,
                  (unsigned long long)s->cache_hits, (unsigned long long)s->coalesced,
                  (unsigned long long)s->in_flight, s->workers, s->free_slots);
      if (!s->bootstrap.empty()) {
        std::printf("rdap bootstrap");
        for (const auto& [file, publication] : s->bootstrap) {
          std::printf("  %s %s", file.c_str(), publication.c_str());
        }
        std::printf("\n");
      }
      // conc and rate/s: configured; "learned" shows the effective values where
      // throttles taught the scheduler lower ones.
      std::printf("%-30s %5s %5s %8s %15s %14s %7s %8s %9s %9s\n", "server", "out", "conc",
                  "rate/s", "learned", "today/daily", "queued", "granted", "throttles", "next");
      for (const auto& v : s->servers) {
        std::string today = std::to_string(v.spent_today) + "/" + std::to_string(v.daily);
        std::string learned = "-";
        if ((v.effective_per_second > 0 && v.effective_per_second < v.per_second) ||
            (v.effective_concurrency > 0 && v.effective_concurrency < v.concurrency)) {
          char buf[64];
          std::snprintf(buf, sizeof(buf), "%u @ %.2f/s", v.effective_concurrency,
                        v.effective_per_second);
          learned = buf;
        }
        std::string next = FormatTime(std::max(v.next_eligible_ms, v.paused_until_ms), now);
        std::printf("%-30s %5u %5u %8.2f %15s %14s %7llu %8llu %9llu %9s\n", v.server.c_str(),
                    v.tokens_out, v.concurrency, v.per_second, learned.c_str(), today.c_str(),
                    (unsigned long long)v.queued, (unsigned long long)v.granted,
                    (unsigned long long)v.throttles, next.c_str());
      }
    }
    exit_code = 0;
  });
}

}  // namespace whoisq::cli
