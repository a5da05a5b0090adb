#include "schema/codec.h"

namespace whoisq::schema {

std::vector<std::string> ToFrames(const Envelope& envelope) {
  return {std::string(), envelope.protocol, envelope.command, envelope.body};
}

Result<Envelope> FromFrames(const std::vector<std::string>& frames,
                            std::string_view expected_protocol) {
  size_t i = 0;
  if (i < frames.size() && frames[i].empty()) ++i;  // REQ-style delimiter
  if (frames.size() - i < 2 || frames.size() - i > 3) {
    return Status(ErrorCode::kMalformed,
                  "expected [\"\"] protocol command [body], got " +
                      std::to_string(frames.size()) + " frames");
  }
  Envelope e;
  e.protocol = frames[i];
  e.command = frames[i + 1];
  if (i + 2 < frames.size()) e.body = frames[i + 2];
  if (e.protocol != expected_protocol) {
    std::string shown = e.protocol.substr(0, 16);
    for (char& c : shown) {
      if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7e) c = '?';
    }
    return Status(ErrorCode::kUnsupported, "protocol '" + shown + "', expected '" +
                                               std::string(expected_protocol) + "'");
  }
  return e;
}

}  // namespace whoisq::schema
