#include "schema/status.h"

#include <array>

namespace whoisq::schema {
namespace {
constexpr std::array<const char*, 19> kNames = {
    "ok",          "timeout",        "refused",   "unreachable",  "throttled",
    "quota_exhausted", "no_server",  "invalid_query", "too_large", "referral_loop",
    "malformed",   "deadline",       "not_found", "io_error",     "internal",
    "unsupported", "overloaded",  "tls_error",    "server_error"};
}  // namespace

const char* ErrorName(ErrorCode code) {
  auto i = static_cast<size_t>(code);
  return i < kNames.size() ? kNames[i] : "internal";
}

ErrorCode ErrorFromName(std::string_view name) {
  for (size_t i = 0; i < kNames.size(); ++i) {
    if (name == kNames[i]) return static_cast<ErrorCode>(i);
  }
  return ErrorCode::kInternal;
}

std::string Status::ToString() const {
  if (ok()) return "ok";
  std::string s = ErrorName(code_);
  if (!message_.empty()) {
    s += ": ";
    s += message_;
  }
  return s;
}

}  // namespace whoisq::schema
