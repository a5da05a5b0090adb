#include "worker/whois_client.h"

#include <utility>  // Boost 1.74 awaitable.hpp uses std::exchange without including it

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "config/options.h"
#include "schema/ascii.h"

namespace whoisq::worker {
namespace asio = boost::asio;
using asio::ip::tcp;
using schema::ErrorCode;
using schema::Status;

AddressBook::AddressBook(const std::map<std::string, std::string>& entries, bool strict)
    : strict_(strict) {
  for (const auto& [host, target] : entries) {
    auto hp = config::SplitHostPort(target);
    if (hp.ok()) entries_[host] = {hp->host, hp->port};  // validated when the config loaded
  }
}

schema::Result<std::pair<std::string, uint16_t>> AddressBook::Lookup(const std::string& host,
                                                                     uint16_t port) const {
  if (auto it = entries_.find(schema::AsciiLower(host)); it != entries_.end()) {
    return std::make_pair(it->second.first, it->second.second ? it->second.second : port);
  }
  if (strict_) {
    return Status(ErrorCode::kUnreachable, host + " is not in [resolve] and strict_resolve is on");
  }
  return std::make_pair(host, port);
}

bool IsSafeQueryLine(std::string_view args) {
  if (args.empty() || args.size() > 1024) return false;
  for (unsigned char c : args) {
    if (c < 0x20 || c == 0x7f) return false;
  }
  return true;
}

asio::awaitable<WhoisAnswer> QueryWhois(WhoisQuery query, const AddressBook& book) {
  auto executor = co_await asio::this_coro::executor;
  const auto started = std::chrono::steady_clock::now();
  WhoisAnswer answer;
  auto finish = [&](Status status) {
    answer.status = std::move(status);
    answer.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - started);
    return answer;
  };
  const std::string where = query.host + ":" + std::to_string(query.port);

  if (!IsSafeQueryLine(query.args)) {
    co_return finish(Status(ErrorCode::kInvalidQuery, "query line holds a control byte"));
  }
  auto target = book.Lookup(query.host, query.port);
  if (!target.ok()) co_return finish(target.status());

  // Shared with the watchdog's handler, which may run after this frame is gone.
  struct Connection {
    explicit Connection(const asio::any_io_executor& ex) : socket(ex) {}
    tcp::socket socket;
    bool timed_out = false;
    uint64_t generation = 0;  // a stale expiry (re-armed since) does nothing
  };
  auto conn = std::make_shared<Connection>(executor);
  tcp::socket& socket = conn->socket;
  asio::steady_timer watchdog(executor);
  // The watchdog closes the socket at the deadline; every pending operation
  // then completes with an error and the coroutine sees `timed_out`.
  auto arm = [&watchdog, conn](std::chrono::steady_clock::time_point when) {
    watchdog.expires_at(when);
    uint64_t generation = ++conn->generation;
    watchdog.async_wait([conn, generation](boost::system::error_code ec) {
      if (!ec && generation == conn->generation) {
        conn->timed_out = true;
        boost::system::error_code ignored;
        conn->socket.close(ignored);
      }
    });
  };
  bool& timed_out = conn->timed_out;
  const auto deadline = started + query.timeout;
  boost::system::error_code ec;

  tcp::resolver resolver(executor);
  auto endpoints = co_await resolver.async_resolve(
      target->first, std::to_string(target->second),
      asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    co_return finish(Status(ErrorCode::kUnreachable, where + ": " + ec.message()));
  }

  arm(std::min(deadline, std::chrono::steady_clock::now() + query.connect_timeout));
  co_await asio::async_connect(socket, endpoints, asio::redirect_error(asio::use_awaitable, ec));
  watchdog.cancel();
  ++conn->generation;
  if (ec) {
    if (timed_out) co_return finish(Status(ErrorCode::kTimeout, where + ": connect timed out"));
    if (ec == asio::error::connection_refused) {
      co_return finish(Status(ErrorCode::kRefused, where + ": connection refused"));
    }
    co_return finish(Status(ErrorCode::kUnreachable, where + ": " + ec.message()));
  }
  timed_out = false;
  arm(deadline);

  std::string line = query.args + "\r\n";
  co_await asio::async_write(socket, asio::buffer(line), asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    watchdog.cancel();
    if (timed_out) co_return finish(Status(ErrorCode::kTimeout, where + ": send timed out"));
    co_return finish(Status(ErrorCode::kRefused, where + ": send failed: " + ec.message()));
  }

  char buffer[16384];
  for (;;) {
    size_t n = co_await socket.async_read_some(asio::buffer(buffer),
                                               asio::redirect_error(asio::use_awaitable, ec));
    size_t room = query.max_bytes - answer.raw.size();
    answer.raw.append(buffer, std::min(n, room));
    if (n > room) {
      watchdog.cancel();
      co_return finish(Status(ErrorCode::kTooLarge,
                              where + ": answer over " + std::to_string(query.max_bytes) + " bytes"));
    }
    if (ec) break;
  }
  watchdog.cancel();
  if (timed_out) {
    co_return finish(Status(ErrorCode::kTimeout, where + ": no complete answer in " +
                                                     std::to_string(query.timeout.count()) + " ms"));
  }
  if (ec != asio::error::eof) {
    if (answer.raw.empty()) {
      co_return finish(Status(ErrorCode::kRefused, where + ": " + ec.message()));
    }
    // A reset after data: keep what arrived, as most clients do.
  }
  if (answer.raw.empty()) {
    co_return finish(Status(ErrorCode::kRefused, where + ": closed without an answer"));
  }
  co_return finish(Status::Ok());
}

}  // namespace whoisq::worker
