#include "tools/whois_sim/whois_endpoint.h"

#include <algorithm>

#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <spdlog/spdlog.h>

#include "tools/whois_sim/stream_loops.h"

namespace whoisq::sim {

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;

namespace {

constexpr size_t kEndlessChunkBytes = 4096;

// Filler streamed by mode "endless": looks like a WHOIS answer that never ends.
std::string EndlessChunk() {
  std::string chunk;
  while (chunk.size() < kEndlessChunkBytes) {
    chunk += "% this answer never ends; the client must cut it off\r\n";
  }
  return chunk;
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
    if (endpoint_.Admit(query_) != Verdict::kServed) {
      WriteAndClose(AsWireText(RenderTemplate(endpoint_.config_.throttle_text, query_)));
      return;
    }
    holds_slot_ = true;
    AfterDelay(timer_, endpoint_.ServiceDelay(), [self = shared_from_this()] { self->Respond(); });
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
        WriteForever(socket_, asio::buffer(out_), [self = shared_from_this()](error_code) {
          self->Close();
        });
        break;
      case Mode::kSlow:
        out_ = endpoint_.answers_.Answer(query_);
        WriteOneBytePerInterval(socket_, timer_, out_, endpoint_.slow_interval_, 0,
                                [self = shared_from_this()](error_code) { self->Close(); });
        break;
      case Mode::kBinary:
        WriteAndClose(endpoint_.Noise());
        break;
      case Mode::kRefuse:
      case Mode::kError:  // RDAP only; the config rejects it for WHOIS
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
    DrainUntilError(socket_, asio::buffer(sink_),
                    [self = shared_from_this()](error_code) { self->Close(); });
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
    : Endpoint(io, config, sim), max_line_(sim.max_line) {}

std::unique_ptr<WhoisEndpoint> WhoisEndpoint::Create(asio::io_context& io,
                                                     const asio::ip::address& address,
                                                     const ServerConfig& config,
                                                     const SimConfig& sim, std::string* error) {
  std::unique_ptr<WhoisEndpoint> endpoint(new WhoisEndpoint(io, config, sim));
  if (!endpoint->Bind(address, error)) return nullptr;
  return endpoint;
}

void WhoisEndpoint::OnAccept(tcp::socket socket) {
  std::make_shared<WhoisConnection>(*this, std::move(socket))->Start();
}

}  // namespace whoisq::sim
