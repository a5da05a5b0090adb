#include "tools/whois_sim/whois_endpoint.h"

#include <algorithm>

#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <spdlog/spdlog.h>

namespace whoisq::sim {

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;

namespace {

constexpr size_t kEndlessChunkBytes = 4096;
constexpr int kBinaryMinBytes = 256;
constexpr int kBinaryMaxBytes = 2048;
constexpr std::chrono::milliseconds kAcceptRetryDelay{50};

// Filler streamed by mode "endless": looks like a WHOIS answer that never ends.
std::string EndlessChunk() {
  std::string chunk;
  while (chunk.size() < kEndlessChunkBytes) {
    chunk += "% this answer never ends; the client must cut it off\r\n";
  }
  return chunk;
}

std::string_view VerdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::kServed: return "served";
    case Verdict::kConcurrency: return "concurrency";
    case Verdict::kRate: return "rate";
    case Verdict::kDaily: return "daily";
  }
  return "?";
}

}  // namespace

// One accepted connection; owned by the handlers that hold its shared_ptr.
class WhoisConnection : public std::enable_shared_from_this<WhoisConnection> {
 public:
  WhoisConnection(WhoisEndpoint& endpoint, tcp::socket socket)
      : endpoint_(endpoint),
        socket_(std::move(socket)),
        timer_(endpoint.io_),
        buffer_(endpoint.max_line_) {}

  void Start() {
    if (endpoint_.config_.mode == Mode::kRefuse) {
      Close();
      return;
    }
    auto self = shared_from_this();
    timer_.expires_after(endpoint_.idle_timeout_);
    timer_.async_wait([self](error_code ec) {
      if (ec || self->got_line_ || self->closed_) return;
      self->timed_out_ = true;
      error_code ignored;
      self->socket_.cancel(ignored);
    });
    asio::async_read_until(socket_, buffer_, '\n',
                           [self](error_code ec, size_t n) { self->OnRead(ec, n); });
  }

 private:
  void OnRead(error_code ec, size_t n) {
    ServerCounters& counters = endpoint_.counters_;
    if (ec && timed_out_) {
      ++counters.idle_timeouts;
      Close();
      return;
    }
    std::string line;
    if (!ec) {
      line.assign(asio::buffers_begin(buffer_.data()), asio::buffers_begin(buffer_.data()) + n);
    } else if (ec == asio::error::not_found) {  // buffer full without a newline
      ++counters.bad_requests;
      Close();
      return;
    } else if (ec == asio::error::eof && buffer_.size() > 0) {
      // The client half-closed after a line without newline: take it.
      line.assign(asio::buffers_begin(buffer_.data()), asio::buffers_end(buffer_.data()));
    } else {
      Close();
      return;
    }
    got_line_ = true;
    timer_.cancel();

    query_ = ParseQuery(line);
    ++counters.queries;
    ++counters.queries_by_name[query_.name];
    const Verdict verdict = endpoint_.limiter_.Admit(NowInstant());
    spdlog::debug("{}: query \"{}\" -> {} (open {})", endpoint_.config_.name, query_.line,
                  VerdictName(verdict), endpoint_.limiter_.open());
    switch (verdict) {
      case Verdict::kServed:
        ++counters.served;
        holds_slot_ = true;
        break;
      case Verdict::kConcurrency: ++counters.breaches_concurrency; break;
      case Verdict::kRate: ++counters.breaches_rate; break;
      case Verdict::kDaily: ++counters.breaches_daily; break;
    }
    if (verdict != Verdict::kServed) {
      spdlog::info("{}: {} breach on query \"{}\"", endpoint_.config_.name, VerdictName(verdict),
                   query_.name);
      WriteAndClose(AsWireText(RenderTemplate(endpoint_.config_.throttle_text, query_)));
      return;
    }
    const ServerConfig& config = endpoint_.config_;
    std::chrono::milliseconds delay = config.delay_min;
    if (config.delay_max > config.delay_min) {
      std::uniform_int_distribution<int64_t> dist(config.delay_min.count(),
                                                  config.delay_max.count());
      delay = std::chrono::milliseconds(dist(endpoint_.rng_));
    }
    if (delay.count() == 0) {
      Respond();
      return;
    }
    auto self = shared_from_this();
    timer_.expires_after(delay);
    timer_.async_wait([self](error_code ec) {
      if (!ec) self->Respond();
    });
  }

  void Respond() {
    switch (endpoint_.config_.mode) {
      case Mode::kNormal:
        WriteAndClose(endpoint_.answers_.Answer(query_));
        break;
      case Mode::kSilent:
        WatchForClientClose();
        break;
      case Mode::kEndless:
        out_ = EndlessChunk();
        WriteEndless();
        break;
      case Mode::kSlow:
        out_ = endpoint_.answers_.Answer(query_);
        WriteSlow(0);
        break;
      case Mode::kBinary: {
        std::uniform_int_distribution<int> size(kBinaryMinBytes, kBinaryMaxBytes);
        std::uniform_int_distribution<int> byte(0, 255);
        std::string noise(static_cast<size_t>(size(endpoint_.rng_)), '\0');
        for (char& c : noise) c = static_cast<char>(byte(endpoint_.rng_));
        WriteAndClose(std::move(noise));
        break;
      }
      case Mode::kRefuse:
        Close();
        break;
    }
  }

  void WriteAndClose(std::string text) {
    out_ = std::move(text);
    auto self = shared_from_this();
    asio::async_write(socket_, asio::buffer(out_), [self](error_code, size_t) { self->Close(); });
  }

  // Mode "silent": the server never closes; the slot ends when the client does.
  void WatchForClientClose() {
    auto self = shared_from_this();
    socket_.async_read_some(asio::buffer(sink_), [self](error_code ec, size_t) {
      if (ec) {
        self->Close();
      } else {
        self->WatchForClientClose();
      }
    });
  }

  void WriteEndless() {
    auto self = shared_from_this();
    asio::async_write(socket_, asio::buffer(out_), [self](error_code ec, size_t) {
      if (ec) {
        self->Close();
      } else {
        self->WriteEndless();
      }
    });
  }

  void WriteSlow(size_t i) {
    if (i >= out_.size()) {
      Close();
      return;
    }
    auto self = shared_from_this();
    asio::async_write(socket_, asio::buffer(out_.data() + i, 1), [self, i](error_code ec, size_t) {
      if (ec) {
        self->Close();
        return;
      }
      self->timer_.expires_after(self->endpoint_.slow_interval_);
      self->timer_.async_wait([self, i](error_code ec) {
        if (ec) {
          self->Close();
        } else {
          self->WriteSlow(i + 1);
        }
      });
    });
  }

  // Closes the server side; the concurrency slot is returned here, before the
  // client can observe the end of the answer.
  void Close() {
    if (closed_) return;
    closed_ = true;
    if (holds_slot_) {
      holds_slot_ = false;
      endpoint_.limiter_.Release();
    }
    error_code ignored;
    timer_.cancel();
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
  }

  WhoisEndpoint& endpoint_;
  tcp::socket socket_;
  asio::steady_timer timer_;  // idle timeout, then service delay, then slow pacing
  asio::streambuf buffer_;
  Query query_;
  std::string out_;
  char sink_[512];
  bool got_line_ = false;
  bool timed_out_ = false;
  bool holds_slot_ = false;
  bool closed_ = false;
};

WhoisEndpoint::WhoisEndpoint(asio::io_context& io, const ServerConfig& config, const SimConfig& sim)
    : io_(io),
      acceptor_(io),
      retry_timer_(io),
      config_(config),
      idle_timeout_(sim.idle_timeout),
      max_line_(sim.max_line),
      slow_interval_(sim.slow_interval),
      answers_(config.answers, config.not_found),
      limiter_(config.limits),
      rng_(std::random_device{}()) {}

std::unique_ptr<WhoisEndpoint> WhoisEndpoint::Create(asio::io_context& io,
                                                     const asio::ip::address& address,
                                                     const ServerConfig& config,
                                                     const SimConfig& sim, std::string* error) {
  std::unique_ptr<WhoisEndpoint> endpoint(new WhoisEndpoint(io, config, sim));
  error_code ec;
  const tcp::endpoint where(address, config.port);
  tcp::acceptor& acceptor = endpoint->acceptor_;
  acceptor.open(where.protocol(), ec);
  if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor.bind(where, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (!ec) endpoint->port_ = acceptor.local_endpoint(ec).port();
  if (ec) {
    *error = "server " + config.name + ": cannot listen on " + address.to_string() + ":" +
             std::to_string(config.port) + ": " + ec.message();
    return nullptr;
  }
  return endpoint;
}

void WhoisEndpoint::Start() { Accept(); }

void WhoisEndpoint::Stop() {
  stopped_ = true;
  error_code ignored;
  acceptor_.close(ignored);
  retry_timer_.cancel();
}

void WhoisEndpoint::Accept() {
  if (stopped_) return;
  acceptor_.async_accept([this](error_code ec, tcp::socket socket) {
    if (stopped_) return;
    if (ec) {
      // Out of descriptors and similar: back off instead of spinning.
      spdlog::warn("{}: accept failed: {}", config_.name, ec.message());
      retry_timer_.expires_after(kAcceptRetryDelay);
      retry_timer_.async_wait([this](error_code wait_ec) {
        if (!wait_ec) Accept();
      });
      return;
    }
    ++counters_.connections;
    std::make_shared<WhoisConnection>(*this, std::move(socket))->Start();
    Accept();
  });
}

nlohmann::json WhoisEndpoint::Stats() const {
  nlohmann::json j;
  j["port"] = port_;
  j["mode"] = std::string(ModeName(config_.mode));
  j["connections"] = counters_.connections;
  j["queries"] = counters_.queries;
  j["served"] = counters_.served;
  j["breaches_concurrency"] = counters_.breaches_concurrency;
  j["breaches_rate"] = counters_.breaches_rate;
  j["breaches_daily"] = counters_.breaches_daily;
  j["bad_requests"] = counters_.bad_requests;
  j["idle_timeouts"] = counters_.idle_timeouts;
  j["open"] = limiter_.open();
  j["max_concurrent_seen"] = limiter_.max_open_seen();
  j["served_today"] = limiter_.served_today();
  j["queries_by_name"] = nlohmann::json::object();
  for (const auto& [name, count] : counters_.queries_by_name) j["queries_by_name"][name] = count;
  return j;
}

void WhoisEndpoint::Reset() {
  counters_ = ServerCounters{};
  limiter_.Reset();
}

}  // namespace whoisq::sim
