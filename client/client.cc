#include "client/client.h"

#include <zmq.hpp>

#include "schema/codec.h"
#include "transport/zmq_io.h"

namespace whoisq::client {
namespace {

using schema::ErrorCode;
using schema::Status;

// Receives one multipart message, waiting up to `timeout`.
schema::Result<std::vector<std::string>> RecvFrames(zmq::socket_t& socket,
                                                    std::chrono::milliseconds timeout) {
  std::vector<std::string> frames;
  if (!transport::RecvFramesWithin(socket, frames, std::max(timeout, std::chrono::milliseconds(0)))) {
    return Status(ErrorCode::kTimeout, "no reply");
  }
  return frames;
}

// Waits until `deadline` for the next client-protocol message.
schema::Result<schema::Envelope> NextEnvelope(zmq::socket_t& socket,
                                              std::chrono::steady_clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  auto frames = RecvFrames(socket, left);
  if (!frames.ok()) return frames.status();
  return schema::FromFrames(*frames, schema::kClientProtocol);
}

}  // namespace

class Client::Impl {
 public:
  zmq::context_t ctx{1};
  zmq::socket_t socket{ctx, zmq::socket_type::dealer};
};

Client::Client(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Client::~Client() = default;

schema::Result<std::unique_ptr<Client>> Client::Connect(const std::string& endpoint) {
  try {
    auto impl = std::make_unique<Impl>();
    impl->socket.set(zmq::sockopt::linger, 0);
    impl->socket.set(zmq::sockopt::sndhwm, 0);
    impl->socket.set(zmq::sockopt::rcvhwm, 0);
    impl->socket.connect(endpoint);
    return std::unique_ptr<Client>(new Client(std::move(impl)));
  } catch (const zmq::error_t& e) {
    return Status(ErrorCode::kIoError, "cannot connect to " + endpoint + ": " + e.what());
  }
}

Status Client::SendRawFrames(const std::vector<std::string>& frames) {
  try {
    transport::SendFrames(impl_->socket, frames);
    return Status::Ok();
  } catch (const zmq::error_t& e) {
    return Status(ErrorCode::kIoError, e.what());
  }
}

Status Client::Send(const schema::LookupRequest& request) {
  return SendRawFrames(schema::ToFrames({std::string(schema::kClientProtocol),
                                         std::string(schema::cmd::kLookup),
                                         schema::Pack(request)}));
}

schema::Result<Reply> Client::Receive(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto env = NextEnvelope(impl_->socket, deadline);
    if (!env.ok()) return env.status();
    Reply reply;
    if (env->command == schema::cmd::kResult) {
      auto r = schema::Unpack<schema::LookupReply>(env->body);
      if (!r.ok()) return r.status();
      reply.result = std::move(*r);
      return reply;
    }
    if (env->command == schema::cmd::kAccepted) {
      auto a = schema::Unpack<schema::AcceptedReply>(env->body);
      if (!a.ok()) return a.status();
      reply.is_accepted = true;
      reply.accepted = std::move(*a);
      return reply;
    }
    if (env->command == schema::cmd::kError) {
      auto e = schema::Unpack<schema::ErrorReply>(env->body);
      if (!e.ok()) return e.status();
      reply.is_error = true;
      reply.error = std::move(*e);
      return reply;
    }
    // STATS/PONG meant for another call: skip.
  }
}

schema::Result<schema::LookupReply> Client::Lookup(const std::string& query,
                                                   std::chrono::milliseconds timeout, bool fresh) {
  schema::LookupRequest request;
  request.id = "1";
  request.query = query;
  request.fresh = fresh;
  Status st = Send(request);
  if (!st.ok()) return st;
  auto reply = Receive(timeout);
  if (!reply.ok()) return reply.status();
  if (reply->is_error) {
    return Status(schema::ErrorFromName(reply->error.error), reply->error.message);
  }
  return std::move(reply->result);
}

schema::Result<schema::StatsReply> Client::Stats(std::chrono::milliseconds timeout) {
  Status st = SendRawFrames(schema::ToFrames(
      {std::string(schema::kClientProtocol), std::string(schema::cmd::kStats), {}}));
  if (!st.ok()) return st;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto env = NextEnvelope(impl_->socket, deadline);
    if (!env.ok()) return env.status();
    if (env->command == schema::cmd::kStats) return schema::Unpack<schema::StatsReply>(env->body);
  }
}

class Subscriber::Impl {
 public:
  zmq::context_t ctx{1};
  zmq::socket_t socket{ctx, zmq::socket_type::sub};
};

Subscriber::Subscriber(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Subscriber::~Subscriber() = default;

schema::Result<std::unique_ptr<Subscriber>> Subscriber::Connect(const std::string& endpoint,
                                                                const std::string& prefix) {
  try {
    auto impl = std::make_unique<Impl>();
    impl->socket.set(zmq::sockopt::linger, 0);
    impl->socket.set(zmq::sockopt::rcvhwm, 1000000);
    impl->socket.set(zmq::sockopt::subscribe, prefix);
    impl->socket.connect(endpoint);
    return std::unique_ptr<Subscriber>(new Subscriber(std::move(impl)));
  } catch (const zmq::error_t& e) {
    return Status(ErrorCode::kIoError, "cannot subscribe to " + endpoint + ": " + e.what());
  }
}

schema::Result<Event> Subscriber::Receive(std::chrono::milliseconds timeout) {
  auto frames = RecvFrames(impl_->socket, timeout);
  if (!frames.ok()) return frames.status();
  if (frames->size() != 3 || (*frames)[1] != schema::kPublishProtocol) {
    return Status(ErrorCode::kMalformed, "unexpected event frames");
  }
  auto r = schema::Unpack<schema::LookupReply>((*frames)[2]);
  if (!r.ok()) return r.status();
  return Event{(*frames)[0], std::move(*r)};
}

}  // namespace whoisq::client
