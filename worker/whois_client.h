// One WHOIS query over TCP (RFC 3912): connect, send the query and CRLF, read
// until the server closes. Bounded in time (connect and whole-hop deadlines)
// and in size. Runs on the caller's Asio executor; never throws.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>

#include <utility>  // must precede Boost 1.74 awaitable.hpp (std::exchange)

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "schema/status.h"

namespace whoisq::worker {

struct WhoisQuery {
  std::string host;      // the server's name, e.g. "whois.verisign-grs.com"
  uint16_t port = 43;
  std::string args;      // the query line, without CRLF; must hold no control byte
  std::chrono::milliseconds timeout{15000};         // whole hop
  std::chrono::milliseconds connect_timeout{5000};
  uint32_t max_bytes = 1 << 20;
};

struct WhoisAnswer {
  schema::Status status;  // ok, or timeout/refused/unreachable/too_large/invalid_query
  std::string raw;        // bytes received (possibly partial on error)
  std::chrono::milliseconds elapsed{0};
};

// Maps server names to addresses (like curl --resolve) before DNS.
class AddressBook {
 public:
  // `entries`: host -> "addr:port" or "addr". With `strict`, hosts not listed
  // are unreachable (no DNS query is made).
  AddressBook(const std::map<std::string, std::string>& entries, bool strict);

  // The address and port to connect to for host:port; kUnreachable when strict
  // and unlisted. An unlisted host is returned as is (for DNS).
  schema::Result<std::pair<std::string, uint16_t>> Lookup(const std::string& host,
                                                          uint16_t port) const;

 private:
  std::map<std::string, std::pair<std::string, uint16_t>> entries_;
  bool strict_;
};

// Performs the query. The coroutine completes when the server closed, the
// size cap was hit, or the deadline passed.
boost::asio::awaitable<WhoisAnswer> QueryWhois(WhoisQuery query, const AddressBook& book);

// True if `args` can be sent on one line: no CR, LF, NUL or other control byte.
bool IsSafeQueryLine(std::string_view args);

}  // namespace whoisq::worker
