// Counters of one simulated server, reported by the control socket.
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace whoisq::sim {

// Counters only an RDAP (HTTP) server has.
struct RdapCounters {
  uint64_t open_connections = 0;        // TCP connections open now (not zeroed by reset)
  uint64_t bad_host = 0;                // Host header missing or not the server's name (400)
  uint64_t bad_sni = 0;                 // TLS SNI missing or not the server's name (still served)
  uint64_t tls_handshake_failures = 0;  // TLS handshakes that failed (not idle timeouts)
  std::map<int, uint64_t> statuses;     // HTTP status -> responses sent
  std::map<std::string, uint64_t> sni;  // SNI received ("" = none) -> handshakes
};

struct ServerCounters {
  uint64_t connections = 0;           // accepted TCP connections
  uint64_t queries = 0;               // queries received (served or not)
  uint64_t served = 0;                // queries admitted under all limits
  uint64_t breaches_concurrency = 0;  // query arrived with `concurrency` already in service
  uint64_t breaches_rate = 0;         // query arrived before TAT - tau (GCRA)
  uint64_t breaches_daily = 0;        // query beyond `daily` on its UTC day
  uint64_t bad_requests = 0;          // WHOIS: line longer than max_line; RDAP: bad head/method
  uint64_t idle_timeouts = 0;         // no full line / request within idle_timeout
  std::map<std::string, uint64_t> queries_by_name;  // name token -> times asked
  RdapCounters rdap;
};

}  // namespace whoisq::sim
