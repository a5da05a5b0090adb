#include "tools/whois_sim/sim_server.h"

#include <filesystem>
#include <fstream>
#include <functional>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "tools/whois_sim/rdap_endpoint.h"
#include "tools/whois_sim/whois_endpoint.h"

namespace whoisq::sim {

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;

namespace {

constexpr size_t kMaxControlLine = 256;
constexpr std::chrono::seconds kControlIdleTimeout{10};

// Writes `contents` to `path` via a temporary file and rename, so readers
// never see a half-written file.
bool WriteAtomically(const std::string& path, const std::string& contents, std::string* error) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << contents;
    out.flush();
    if (!out) {
      *error = "cannot write " + tmp;
      return false;
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    *error = "cannot rename " + tmp + " to " + path + ": " + ec.message();
    return false;
  }
  return true;
}

// One control connection: reads one command line, writes the reply, closes.
class ControlConnection : public std::enable_shared_from_this<ControlConnection> {
 public:
  using Handler = std::function<std::string(const std::string& command)>;
  using AfterReply = std::function<void(const std::string& command)>;

  ControlConnection(tcp::socket socket, Handler handler, AfterReply after)
      : socket_(std::move(socket)),
        timer_(socket_.get_executor()),
        buffer_(kMaxControlLine),
        handler_(std::move(handler)),
        after_(std::move(after)) {}

  void Start() {
    auto self = shared_from_this();
    timer_.expires_after(kControlIdleTimeout);
    timer_.async_wait([self](error_code ec) {
      if (!ec) {
        error_code ignored;
        self->socket_.close(ignored);
      }
    });
    asio::async_read_until(socket_, buffer_, '\n', [self](error_code ec, size_t n) {
      self->OnRead(ec, n);
    });
  }

 private:
  void OnRead(error_code ec, size_t n) {
    error_code ignored;
    timer_.cancel();
    std::string line;
    if (!ec) {
      line.assign(asio::buffers_begin(buffer_.data()), asio::buffers_begin(buffer_.data()) + n);
    } else if (ec == asio::error::eof && buffer_.size() > 0) {
      line.assign(asio::buffers_begin(buffer_.data()), asio::buffers_end(buffer_.data()));
    } else {
      socket_.close(ignored);
      return;
    }
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r' || line.back() == ' ')) {
      line.pop_back();
    }
    command_ = line;
    reply_ = handler_(command_) + "\n";
    auto self = shared_from_this();
    asio::async_write(socket_, asio::buffer(reply_), [self](error_code, size_t) {
      error_code ignored;
      self->socket_.shutdown(tcp::socket::shutdown_both, ignored);
      self->socket_.close(ignored);
      if (self->after_) self->after_(self->command_);
    });
  }

  tcp::socket socket_;
  asio::steady_timer timer_;
  asio::streambuf buffer_;
  Handler handler_;
  AfterReply after_;
  std::string command_;
  std::string reply_;
};

}  // namespace

class SimServer::Impl {
 public:
  explicit Impl(const SimConfig& config)
      : config_(config), control_(io_), signals_(io_, SIGINT, SIGTERM) {}
  ~Impl() { endpoints_.clear(); }

  bool Bind(std::string* error) {
    error_code ec;
    const auto address = asio::ip::make_address(config_.bind, ec);
    if (ec || !address.is_loopback()) {
      *error = "sim.bind must be a loopback address, got " + config_.bind;
      return false;
    }
    for (const ServerConfig& server : config_.servers) {
      std::unique_ptr<Endpoint> endpoint;
      if (server.protocol == Protocol::kRdap) {
        endpoint = RdapEndpoint::Create(io_, address, server, config_, error);
      } else {
        endpoint = WhoisEndpoint::Create(io_, address, server, config_, error);
      }
      if (!endpoint) return false;
      endpoints_.push_back(std::move(endpoint));
    }
    ec = Listen(control_, tcp::endpoint(address, config_.control), &control_port_);
    if (ec) {
      *error = "control socket: cannot listen on " + config_.bind + ":" +
               std::to_string(config_.control) + ": " + ec.message();
      return false;
    }
    if (!config_.ports_file.empty() &&
        !WriteAtomically(config_.ports_file, PortsJson() + "\n", error)) {
      return false;
    }
    if (!config_.resolve_file.empty()) {
      std::string fragment = "[resolve]\n";
      for (const auto& endpoint : endpoints_) {
        fragment += nlohmann::json(endpoint->name()).dump() + " = " +
                    nlohmann::json(HostPort(config_.bind, endpoint->port())).dump() + "\n";
      }
      if (!WriteAtomically(config_.resolve_file, fragment, error)) return false;
    }
    return true;
  }

  static std::string HostPort(const std::string& host, uint16_t port) {
    if (host.find(':') != std::string::npos) return "[" + host + "]:" + std::to_string(port);
    return host + ":" + std::to_string(port);
  }

  std::string PortsJson() const {
    nlohmann::json j;
    j["control"] = control_port_;
    j["servers"] = nlohmann::json::object();
    for (const auto& endpoint : endpoints_) j["servers"][endpoint->name()] = endpoint->port();
    return j.dump();
  }

  std::string StatsJson() const {
    nlohmann::json j;
    j["servers"] = nlohmann::json::object();
    for (const auto& endpoint : endpoints_) j["servers"][endpoint->name()] = endpoint->Stats();
    // Query names come from the network and need not be UTF-8.
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }

  void Reset() {
    for (const auto& endpoint : endpoints_) endpoint->Reset();
  }

  StopReason Run() {
    for (const auto& endpoint : endpoints_) endpoint->Start();
    AcceptControl();
    signals_.async_wait([this](error_code ec, int) {
      if (ec) return;
      Finish(StopReason::kSignal);
    });
    io_.run();
    return reason_;
  }

  void Stop() {
    asio::post(io_, [this] { Finish(StopReason::kStopped); });
  }

  // io_ comes first so every socket, timer and pending handler is destroyed
  // before it.
  asio::io_context io_{1};
  uint16_t control_port_ = 0;
  std::vector<std::unique_ptr<Endpoint>> endpoints_;

 private:
  void AcceptControl() {
    control_.async_accept([this](error_code ec, tcp::socket socket) {
      if (finished_) return;
      if (!ec) {
        std::make_shared<ControlConnection>(
            std::move(socket), [this](const std::string& command) { return Handle(command); },
            [this](const std::string& command) {
              if (command == "quit") Finish(StopReason::kQuit);
            })
            ->Start();
      }
      AcceptControl();
    });
  }

  std::string Handle(const std::string& command) {
    if (command == "stats") return StatsJson();
    if (command == "reset") {
      Reset();
      return "ok";
    }
    if (command == "ports") return PortsJson();
    if (command == "quit") return "ok";
    return "error: unknown command \"" + command + "\" (stats, reset, ports, quit)";
  }

  void Finish(StopReason reason) {
    if (finished_) return;
    finished_ = true;
    reason_ = reason;
    for (const auto& endpoint : endpoints_) endpoint->Stop();
    error_code ignored;
    control_.close(ignored);
    signals_.cancel(ignored);
    // Connections in "silent" or "endless" mode never end on their own.
    io_.stop();
  }

  SimConfig config_;
  tcp::acceptor control_;
  asio::signal_set signals_;
  bool finished_ = false;
  StopReason reason_ = StopReason::kStopped;
};

SimServer::SimServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SimServer::~SimServer() = default;

std::unique_ptr<SimServer> SimServer::Create(const SimConfig& config, std::string* error) {
  auto impl = std::make_unique<Impl>(config);
  if (!impl->Bind(error)) return nullptr;
  return std::unique_ptr<SimServer>(new SimServer(std::move(impl)));
}

uint16_t SimServer::control_port() const { return impl_->control_port_; }

std::map<std::string, uint16_t> SimServer::ports() const {
  std::map<std::string, uint16_t> out;
  for (const auto& endpoint : impl_->endpoints_) out[endpoint->name()] = endpoint->port();
  return out;
}

std::string SimServer::PortsJson() const { return impl_->PortsJson(); }
std::string SimServer::StatsJson() const { return impl_->StatsJson(); }
void SimServer::Reset() { impl_->Reset(); }
StopReason SimServer::Run() { return impl_->Run(); }
void SimServer::Stop() { impl_->Stop(); }

}  // namespace whoisq::sim
