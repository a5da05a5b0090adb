// Counters of one simulated WHOIS server, reported by the control socket.
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace whoisq::sim {

struct ServerCounters {
  uint64_t connections = 0;           // accepted TCP connections
  uint64_t queries = 0;               // query lines received (served or not)
  uint64_t served = 0;                // queries admitted under all limits
  uint64_t breaches_concurrency = 0;  // query arrived with `concurrency` already in service
  uint64_t breaches_rate = 0;         // query arrived before TAT - tau (GCRA)
  uint64_t breaches_daily = 0;        // query beyond `daily` on its UTC day
  uint64_t bad_requests = 0;          // line longer than max_line
  uint64_t idle_timeouts = 0;         // no full line within idle_timeout
  std::map<std::string, uint64_t> queries_by_name;  // name token -> times asked
};

}  // namespace whoisq::sim
