// The client API: talks the client protocol (README "Protocol") to a broker
// and reads the result stream, so no caller builds frames itself. Used by the
// whoisq CLI and the tests. One Client or Subscriber per thread.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "schema/messages.h"
#include "schema/status.h"

namespace whoisq::client {

// A reply from the broker: a RESULT, an ERROR for a request it could not
// read, or (for requests sent with `notify`) an ACCEPTED notice.
struct Reply {
  bool is_error = false;
  bool is_accepted = false;
  schema::LookupReply result;      // when neither flag is set
  schema::ErrorReply error;        // when is_error
  schema::AcceptedReply accepted;  // when is_accepted
};

class Client {
 public:
  // Connects (lazily, as ZeroMQ does) to the broker's frontend endpoint.
  static schema::Result<std::unique_ptr<Client>> Connect(const std::string& endpoint);
  ~Client();

  // Queues a request; never blocks on the network.
  schema::Status Send(const schema::LookupRequest& request);
  // Waits up to `timeout` for the next reply; kTimeout when none came.
  schema::Result<Reply> Receive(std::chrono::milliseconds timeout);
  // Sends one request and waits for its reply.
  schema::Result<schema::LookupReply> Lookup(const std::string& query,
                                             std::chrono::milliseconds timeout, bool fresh = false);
  // Asks the broker for its counters and the scheduler's view of every server.
  schema::Result<schema::StatsReply> Stats(std::chrono::milliseconds timeout);

  // Sends raw frames (tests of malformed input only).
  schema::Status SendRawFrames(const std::vector<std::string>& frames);

 private:
  class Impl;
  explicit Client(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// One published result.
struct Event {
  std::string topic;  // "<type>/<tld>/<normalized>" or "<type>/<normalized>"
  schema::LookupReply result;
};

class Subscriber {
 public:
  // Subscribes to topics starting with `prefix` ("" = everything).
  static schema::Result<std::unique_ptr<Subscriber>> Connect(const std::string& endpoint,
                                                             const std::string& prefix);
  ~Subscriber();
  // The next event, or kTimeout.
  schema::Result<Event> Receive(std::chrono::milliseconds timeout);

 private:
  class Impl;
  explicit Subscriber(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace whoisq::client
