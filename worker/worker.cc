#include "worker/worker.h"

#include <unistd.h>

#include <chrono>
#include <deque>
#include <map>
#include <mutex>
#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>
#include <zmq.hpp>

#include "schema/codec.h"
#include "schema/messages.h"
#include "transport/zmq_io.h"
#include "worker/parse/parser.h"
#include "worker/rdap_client.h"
#include "worker/rdap_hop.h"
#include "worker/referral.h"
#include "worker/whois_client.h"

namespace whoisq::worker {
namespace asio = boost::asio;
using schema::ErrorCode;
using schema::Status;
using Clock = std::chrono::steady_clock;

namespace {

// Longest wait for a job's not_before_ms (protects against clock skew).
constexpr int64_t kMaxStartWaitMs = 2000;

std::string DefaultWorkerId() {
  char host[256] = {0};
  gethostname(host, sizeof(host) - 1);
  return std::string(host) + "-" + std::to_string(getpid());
}

// Start at the instant the token was granted for, not when the job arrived:
// delivery jitter must not bunch queries up at the server. A long wait can
// only come from clocks that disagree; it is capped.
asio::awaitable<void> WaitForStart(const schema::Job& job) {
  int64_t wait_ms = job.not_before_ms - std::chrono::duration_cast<std::chrono::milliseconds>(
                                            std::chrono::system_clock::now().time_since_epoch())
                                            .count();
  if (wait_ms > 0) {
    asio::steady_timer timer(co_await asio::this_coro::executor,
                             std::chrono::milliseconds(std::min<int64_t>(wait_ms, kMaxStartWaitMs)));
    boost::system::error_code ignored;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  }
}

// Runs one RDAP hop (on the Asio thread).
asio::awaitable<schema::JobResult> RunRdapJob(schema::Job job, RdapClient& client,
                                              std::chrono::milliseconds connect_timeout,
                                              int max_redirects) {
  HttpRequest request;
  request.url = job.args;
  request.timeout = std::chrono::milliseconds(job.timeout_ms);
  request.connect_timeout = std::min(connect_timeout, request.timeout);
  request.max_bytes = job.max_bytes;
  request.max_redirects = max_redirects;
  co_await WaitForStart(job);
  HttpAnswer answer = co_await client.Get(std::move(request));
  co_return RdapJobResult(job, answer);
}

// Runs one WHOIS hop and builds its result (on the Asio thread).
asio::awaitable<schema::JobResult> RunWhoisJob(schema::Job job, const AddressBook& book,
                                               std::chrono::milliseconds connect_timeout) {
  WhoisQuery q;
  q.host = job.host;
  q.port = job.port;
  q.args = job.args;
  q.timeout = std::chrono::milliseconds(job.timeout_ms);
  q.connect_timeout = std::min(connect_timeout, q.timeout);
  q.max_bytes = job.max_bytes;
  co_await WaitForStart(job);
  WhoisAnswer answer = co_await QueryWhois(q, book);

  schema::JobResult r;
  r.job_id = job.job_id;
  r.token_id = job.token.id;
  r.bytes = answer.raw.size();
  r.elapsed_ms = answer.elapsed.count();
  if (!answer.raw.empty()) {
    r.record = parse::Parse(answer.raw, parse::ParseOptions{job.host, job.args});
    if (answer.status.ok()) {
      if (auto ref = FindReferral(answer.raw, job.host)) {
        r.referral_host = ref->host;
        r.referral_port = ref->port;
      }
    }
  }
  r.record.regyinfo.servers = {schema::ServerHop{job.host, job.port, job.args, "whois"}};
  r.record.regyinfo.type = job.type;
  if (!answer.status.ok()) {
    r.error = schema::ErrorName(answer.status.code());
    r.message = answer.status.message();
  } else if (r.record.throttled) {
    r.error = schema::ErrorName(ErrorCode::kThrottled);
    r.message = job.host + " answered with a rate-limit text";
    r.referral_host.clear();
  }
  co_return r;
}

}  // namespace

class Worker::Impl {
 public:
  explicit Impl(const config::Options& options)
      : options_(options),
        book_(options.resolve, options.network.strict_resolve),
        work_(asio::make_work_guard(io_)) {
    if (options_.worker.id.empty()) options_.worker.id = DefaultWorkerId();
  }

  ~Impl() {
    work_.reset();
    io_.stop();
    if (io_thread_.joinable()) io_thread_.join();
  }

  // Loads the TLS trust (system store + [rdap] ca_file); before Run().
  Status Init() {
    TlsSettings tls;
    tls.ca_file = options_.rdap.ca_file;
    tls.insecure_hosts = options_.rdap.insecure;
    auto client = RdapClient::Create(io_.get_executor(), book_, tls);
    if (!client.ok()) return client.status();
    rdap_ = std::move(*client);
    return Status::Ok();
  }

  Status Run(const std::atomic<bool>& stop) {
    try {
      wake_pull_ = zmq::socket_t(ctx_, zmq::socket_type::pair);
      wake_push_ = zmq::socket_t(ctx_, zmq::socket_type::pair);
      std::string wake = "inproc://worker-wake-" + std::to_string(reinterpret_cast<uintptr_t>(this));
      wake_pull_.bind(wake);
      wake_push_.connect(wake);
      io_thread_ = std::thread([this] { io_.run(); });
      Connect();
    } catch (const zmq::error_t& e) {
      return Status(ErrorCode::kIoError, std::string("zmq: ") + e.what());
    }
    for (;;) {
      try {
        return Loop(stop);
      } catch (const zmq::error_t& e) {
        if (e.num() != EINTR) return Status(ErrorCode::kIoError, std::string("zmq: ") + e.what());
      }
    }
  }

 private:
  void Connect() {
    broker_ = zmq::socket_t(ctx_, zmq::socket_type::dealer);
    broker_.set(zmq::sockopt::linger, 0);
    broker_.set(zmq::sockopt::routing_id, options_.worker.id);
    broker_.connect(options_.broker.workers);
    schema::WorkerHello hello;
    hello.worker_id = options_.worker.id;
    hello.slots = options_.worker.slots;
    char host[256] = {0};
    gethostname(host, sizeof(host) - 1);
    hello.host = host;
    hello.pid = getpid();
    for (const auto& [job_id, token] : running_) hello.running.push_back(token);
    Send(schema::cmd::kReady, schema::Pack(hello));
    last_heard_ = Clock::now();
    spdlog::info("worker {}: connecting to {} with {} slots", options_.worker.id,
                 options_.broker.workers, options_.worker.slots);
  }

  void Send(std::string_view command, const std::string& body) {
    transport::SendFrames(
        broker_, schema::ToFrames({std::string(schema::kWorkerProtocol), std::string(command), body}));
    last_sent_ = Clock::now();
  }

  Status Loop(const std::atomic<bool>& stop) {
    const auto beat = std::chrono::milliseconds(options_.broker.heartbeat_ms);
    while (!stop.load()) {
      zmq::pollitem_t items[] = {{broker_.handle(), 0, ZMQ_POLLIN, 0},
                                 {wake_pull_.handle(), 0, ZMQ_POLLIN, 0}};
      if (!transport::PollOrSignal(items, 2, std::chrono::milliseconds(100))) continue;
      if (items[0].revents & ZMQ_POLLIN) ReadBroker();
      if (items[1].revents & ZMQ_POLLIN) {
        zmq::message_t m;
        while (wake_pull_.recv(m, zmq::recv_flags::dontwait)) {}
        SendResults();
      }
      auto now = Clock::now();
      if (now - last_sent_ >= beat) Send(schema::cmd::kHeartbeat, {});
      if (now - last_heard_ > 3 * beat) {
        // The broker is gone or restarted: start over. Jobs still running
        // report to the new connection; the broker ignores unknown job ids.
        spdlog::warn("worker {}: broker silent for {} ms, reconnecting", options_.worker.id,
                     std::chrono::duration_cast<std::chrono::milliseconds>(now - last_heard_).count());
        Connect();
      }
    }
    Send(schema::cmd::kDisconnect, {});
    return Status::Ok();
  }

  void ReadBroker() {
    std::vector<std::string> frames;
    while (transport::RecvFrames(broker_, frames)) {
      last_heard_ = Clock::now();
      auto env = schema::FromFrames(frames, schema::kWorkerProtocol);
      if (!env.ok()) {
        spdlog::warn("worker: bad message from broker: {}", env.status().ToString());
        continue;
      }
      if (env->command == schema::cmd::kJob) {
        auto job = schema::Unpack<schema::Job>(env->body);
        if (!job.ok()) {
          spdlog::warn("worker: bad job: {}", job.status().ToString());
          continue;
        }
        Start(std::move(*job));
      } else if (env->command == schema::cmd::kDisconnect) {
        // The broker does not know us (it restarted): announce again.
        Connect();
      }
      // HEARTBEAT: nothing to do beyond last_heard_.
    }
  }

  void Start(schema::Job job) {
    running_[job.job_id] = job.token;
    auto connect_timeout = std::chrono::seconds(options_.network.connect_timeout_s);
    asio::co_spawn(
        io_,
        [this, job = std::move(job), connect_timeout]() -> asio::awaitable<void> {
          schema::JobResult r;
          try {
            if (job.protocol == "rdap") {
              r = co_await RunRdapJob(job, *rdap_, connect_timeout,
                                      static_cast<int>(options_.rdap.max_redirects));
            } else if (job.protocol == "whois") {
              r = co_await RunWhoisJob(job, book_, connect_timeout);
            } else {
              r.job_id = job.job_id;
              r.token_id = job.token.id;
              r.error = schema::ErrorName(ErrorCode::kUnsupported);
              r.message = "protocol \"" + job.protocol + "\"";
            }
          } catch (const std::exception& e) {
            r.job_id = job.job_id;
            r.token_id = job.token.id;
            r.error = schema::ErrorName(ErrorCode::kInternal);
            r.message = e.what();
          }
          Finish(std::move(r));
        },
        asio::detached);
  }

  // Asio thread: hand a result to the ZeroMQ thread.
  void Finish(schema::JobResult r) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      done_.push_back(std::move(r));
    }
    wake_push_.send(zmq::str_buffer("!"), zmq::send_flags::dontwait);
  }

  void SendResults() {
    std::deque<schema::JobResult> batch;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      batch.swap(done_);
    }
    for (const auto& r : batch) {
      running_.erase(r.job_id);
      Send(schema::cmd::kDone, schema::Pack(r));
    }
  }

  config::Options options_;
  AddressBook book_;
  zmq::context_t ctx_;
  zmq::socket_t broker_;
  zmq::socket_t wake_pull_;  // ZeroMQ thread only
  zmq::socket_t wake_push_;  // Asio thread only (after start)
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  std::unique_ptr<RdapClient> rdap_;  // used on the Asio thread only; destroyed before io_
  std::thread io_thread_;
  std::mutex mutex_;
  std::deque<schema::JobResult> done_;  // guarded by mutex_
  std::map<uint64_t, schema::Token> running_;  // job id -> token; ZeroMQ thread only
  Clock::time_point last_heard_{};
  Clock::time_point last_sent_{};
};

Worker::Worker(const config::Options& options) : impl_(std::make_unique<Impl>(options)) {}
Worker::~Worker() = default;

schema::Result<std::unique_ptr<Worker>> Worker::Create(const config::Options& options) {
  if (options.broker.workers.empty()) {
    return Status(ErrorCode::kMalformed, "[broker] workers must name an endpoint");
  }
  std::unique_ptr<Worker> worker(new Worker(options));
  Status st = worker->impl_->Init();
  if (!st.ok()) return st;
  return worker;
}

Status Worker::Run() { return impl_->Run(stop_); }

}  // namespace whoisq::worker
