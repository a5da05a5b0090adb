// Configuration of whoisq-sim: one TOML file with a [sim] table and one
// [[server]] table per simulated WHOIS or RDAP server (see docs/sim.md).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tools/whois_sim/answer_book.h"
#include "tools/whois_sim/limiter.h"

namespace whoisq::sim {

// How a server behaves once a query is admitted.
enum class Mode {
  kNormal,   // answer, then close
  kSilent,   // read the query, never answer, never close (until the client does)
  kEndless,  // stream bytes until the client closes
  kSlow,     // send the answer 1 byte per slow_interval
  kRefuse,   // close right after accept, read nothing
  kBinary,   // send random bytes, then close
  kError,    // RDAP only: answer 503 with an RDAP error body
};

// What a server speaks.
enum class Protocol {
  kWhois,  // RFC 3912: one line in, the answer out, close
  kRdap,   // HTTP/1.1 (keep-alive), optionally over TLS
};

std::string_view ModeName(Mode mode);
std::string_view ProtocolName(Protocol protocol);

struct ServerConfig {
  std::string name;        // host name this server stands for
  uint16_t port = 0;       // 0 = pick a free port
  Limits limits;           // all 0 = unlimited
  std::chrono::milliseconds delay_min{0};  // service time, uniform in [min, max]
  std::chrono::milliseconds delay_max{0};
  Mode mode = Mode::kNormal;
  std::string throttle_text;  // sent on a breach (template, already loaded)
  std::string not_found;      // answer when no rule matches (template, already loaded)
  std::vector<AnswerRule> answers;

  Protocol protocol = Protocol::kWhois;
  // RDAP only. HTTPS with the server's own tls_cert / tls_key, else [sim]'s.
  bool tls = false;
  std::string tls_cert_file;  // resolved path of the PEM chain (leaf first); empty without TLS
  std::string tls_key_file;   // resolved path of the PEM private key
  std::string tls_cert_pem;   // file contents, read at load
  std::string tls_key_pem;
  // RDAP only: "Retry-After: N" on 429 and 503 answers; 0 = no header.
  int retry_after_s = 0;
  // RDAP only: gzip bodies when the request's Accept-Encoding allows it.
  bool gzip = false;
};

struct SimConfig {
  std::string bind = "127.0.0.1";  // loopback only
  uint16_t control = 0;            // control socket port, 0 = free port
  // Written after binding; relative paths resolve against the config's folder.
  std::string ports_file;          // JSON {"control", "servers"}
  std::string resolve_file;        // TOML [resolve] fragment
  std::string root;                // base folder of answer files
  // A connection that sends no full line within this time is closed.
  std::chrono::milliseconds idle_timeout{10000};
  // Longest accepted query line in bytes, CRLF included; longer = bad request.
  size_t max_line = 4096;
  // Pace of mode "slow": one byte per interval.
  std::chrono::milliseconds slow_interval{100};
  // RDAP: largest accepted request head (request line + headers), bytes;
  // larger = 431 and close.
  size_t max_request_head = 8192;
  // RDAP over TLS: default PEM chain (leaf first) and key, resolved paths.
  std::string tls_cert;
  std::string tls_key;
  std::vector<ServerConfig> servers;
};

// Parses and validates `toml_text`. Relative file names resolve against
// `base_dir` unless [sim].root is set (a relative root resolves against
// base_dir too). Answer files are read here. On failure returns nullopt and
// sets `*error` to a message naming the key, e.g.
// "server[2].per_second must be >= 0".
std::optional<SimConfig> ParseSimConfig(std::string_view toml_text, const std::string& base_dir,
                                        std::string* error);

// Reads `path` and calls ParseSimConfig with the file's folder as base_dir.
std::optional<SimConfig> LoadSimConfig(const std::string& path, std::string* error);

}  // namespace whoisq::sim
