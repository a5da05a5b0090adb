// Multipart I/O on ZeroMQ sockets, shared by the broker, the worker and the
// client API. Frames are built and read by schema/codec.h; this file only
// moves them. Each function is for the one thread that owns the socket.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include <zmq.hpp>

namespace whoisq::transport {

// Receives one whole multipart message without blocking; false when none is
// waiting. Throws zmq::error_t on socket errors (callers catch at their loop).
bool RecvFrames(zmq::socket_t& socket, std::vector<std::string>& frames);

// Sends the frames as one multipart message.
void SendFrames(zmq::socket_t& socket, const std::vector<std::string>& frames);

// Sends [identity] + frames on a ROUTER socket.
void SendTo(zmq::socket_t& router, const std::string& identity,
            const std::vector<std::string>& frames);

// zmq::poll that treats a signal (EINTR) as "nothing ready": returns false
// then, so the caller's loop re-checks its stop flag.
bool PollOrSignal(zmq::pollitem_t* items, size_t count, std::chrono::milliseconds timeout);

// Waits up to `timeout` for one message on `socket`; false on timeout.
bool RecvFramesWithin(zmq::socket_t& socket, std::vector<std::string>& frames,
                      std::chrono::milliseconds timeout);

}  // namespace whoisq::transport
