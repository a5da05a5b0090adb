// msgpack encoding of the wire messages, and the frame layout shared by every
// socket: [""] [protocol] [command] [body]. No other folder builds frames.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <msgpack.hpp>

#include "schema/status.h"

namespace whoisq::schema {

// Encodes a message (any MSGPACK_DEFINE_MAP type) to bytes.
template <typename T>
std::string Pack(const T& message) {
  msgpack::sbuffer buffer;
  msgpack::pack(buffer, message);
  return std::string(buffer.data(), buffer.size());
}

// Decodes bytes into a message. Malformed input gives kMalformed, never throws.
// Keys the message does not know are ignored; absent keys keep their defaults.
template <typename T>
Result<T> Unpack(std::string_view bytes) {
  try {
    msgpack::object_handle handle = msgpack::unpack(bytes.data(), bytes.size());
    T message;
    handle.get().convert(message);
    return message;
  } catch (const std::exception& e) {
    return Status(ErrorCode::kMalformed, std::string("msgpack: ") + e.what());
  }
}

// A decoded multipart message, without the routing identity.
struct Envelope {
  std::string protocol;  // kClientProtocol, kWorkerProtocol, ...
  std::string command;   // cmd::k...
  std::string body;      // msgpack bytes, may be empty
};

// Frames in order: "", protocol, command, body.
std::vector<std::string> ToFrames(const Envelope& envelope);

// Reads frames produced by ToFrames (a leading empty delimiter is optional, so
// REQ and DEALER peers both work). kMalformed on a wrong count; kUnsupported
// when the protocol is not `expected_protocol`.
Result<Envelope> FromFrames(const std::vector<std::string>& frames,
                            std::string_view expected_protocol);

}  // namespace whoisq::schema
