// whoisq's configuration: one TOML file shared by the broker, the workers and
// the CLI (README "Configuration" documents every key; config/whoisq.example.toml
// shows them with their defaults). Every key has a default, so an empty file or
// no file at all runs the service on loopback with a local store.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "schema/status.h"

namespace whoisq::config {

struct BrokerOptions {
  std::string frontend = "tcp://127.0.0.1:7700";  // clients' requests (ROUTER)
  std::string publish = "tcp://127.0.0.1:7701";   // result stream (PUB)
  std::string workers = "tcp://127.0.0.1:7702";   // workers connect here (ROUTER)
  int64_t heartbeat_ms = 1000;     // worker liveness: a worker silent for 3 beats is dropped
  int64_t lease_ms = 60000;        // a token not returned by then frees its slot
  uint32_t max_hops = 4;           // referral chain length cap (IANA hop included)
  uint32_t max_pending = 1000000;  // accepted lookups in flight; beyond: refused
  // Tokens are granted this long before their query may start; the worker
  // waits for the granted instant. Absorbs the broker -> worker delivery
  // jitter that would otherwise bunch queries up at a rate-limited server,
  // but holds every concurrency slot this much longer per query (measured:
  // 20 ms costs concurrency-bound servers 10-20 % of their throughput), and
  // workers' clocks must agree (NTP) to well under it. 0 (default) disables.
  int64_t dispatch_lead_ms = 0;
};

struct StoreOptions {
  std::string path = "./whoisq-data";  // RocksDB folder
  int64_t result_ttl_s = 7 * 86400;    // a stored result is fresh this long
  int64_t fallback_ttl_s = 3600;       // fallback records are kept only briefly
  int64_t tld_ttl_s = 7 * 86400;       // TLD -> server learned from IANA
};

struct NetworkOptions {
  std::string iana = "whois.iana.org";  // first hop for a TLD not yet known
  uint16_t iana_port = 43;
  int64_t timeout_s = 15;               // one hop: connect, send, read
  int64_t connect_timeout_s = 5;
  uint32_t max_response_bytes = 1 << 20;
  // When true, only hosts listed in [resolve] are contacted; any other host is
  // `unreachable` without a DNS query. The tests set it so nothing leaves loopback.
  bool strict_resolve = false;
};

// RDAP (RFC 9082/9083) and its bootstrap (RFC 9224).
struct RdapOptions {
  // Where IANA's dns.json, ipv4.json, ipv6.json and asn.json are refreshed
  // from (the built-in copies are the starting point); "" = never refresh.
  std::string bootstrap = "https://data.iana.org/rdap/";
  int64_t bootstrap_ttl_s = 86400;    // refresh period of each bootstrap file
  std::string ca_file;                // extra PEM CA certificates trusted besides the system store
  std::vector<std::string> insecure;  // hosts whose TLS certificate is not verified
  uint32_t max_redirects = 3;         // same-server redirects followed within one hop
};

// Which protocol a lookup tries first; the other is the fallback.
struct ProtocolOptions {
  std::string prefer = "rdap";                // "rdap" or "whois"
  std::map<std::string, std::string> tld;     // per TLD (A-label) override, e.g. "de" = "whois"
};

struct WorkerOptions {
  uint32_t slots = 64;       // queries one worker process runs at once
  std::string id;            // default: hostname-pid
};

// Limits of one server (or of the group it belongs to).
struct LimitOptions {
  uint32_t concurrency = 1;
  double per_second = 1.0;
  uint32_t burst = 1;
  uint64_t daily = 5000;
  std::string group;  // hosts with the same group share one budget
};

struct Options {
  BrokerOptions broker;
  StoreOptions store;
  NetworkOptions network;
  WorkerOptions worker;
  RdapOptions rdap;
  ProtocolOptions protocol;
  LimitOptions default_limits;                  // [limits.default]
  std::map<std::string, LimitOptions> limits;   // [limits."host"]
  // host -> "address:port" (like curl --resolve); the port replaces the
  // server's port (43) when given.
  std::map<std::string, std::string> resolve;
  std::string log_level = "info";               // [log] level
};

// Reads a TOML file and validates every key. Errors are kMalformed and name the
// key and its allowed range ("[limits.default] per_second must be > 0"); an
// unknown key is an error too, so a typo never passes silently. An empty path
// gives the defaults.
schema::Result<Options> LoadOptions(const std::string& path);
// The same from TOML text (tests).
schema::Result<Options> ParseOptions(std::string_view toml_text, const std::string& origin);

// Splits "127.0.0.1:4300" / "[::1]:4300" / "127.0.0.1" into address and port
// (0 when absent). kMalformed on a bad port.
struct HostPort {
  std::string host;
  uint16_t port = 0;
};
schema::Result<HostPort> SplitHostPort(std::string_view text);

}  // namespace whoisq::config
