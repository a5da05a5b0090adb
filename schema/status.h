// Status and Result<T>: expected failures as values, with the typed error codes
// that travel on the wire and appear in every result.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace whoisq::schema {

// Error codes. The string names (ErrorName) are part of the wire protocol and
// the JSON output; never renumber or rename an existing one.
enum class ErrorCode : int {
  kOk = 0,
  kTimeout = 1,          // the server did not answer in time
  kRefused = 2,          // the server refused the connection or the query
  kUnreachable = 3,      // no route, DNS failure, host not in [resolve] when strict
  kThrottled = 4,        // the server answered with a rate-limit text
  kQuotaExhausted = 5,   // the daily quota is spent past the request's deadline
  kNoServer = 6,         // no WHOIS server exists for this name
  kInvalidQuery = 7,     // the name cannot be normalized or is unsafe to send
  kTooLarge = 8,         // the answer exceeded the size cap
  kReferralLoop = 9,     // the referral chain revisited a server or was too long
  kMalformed = 10,       // a message could not be decoded
  kDeadline = 11,        // the request's own deadline passed
  kNotFound = 12,        // a key is absent (store look-ups)
  kIoError = 13,         // storage or socket failure
  kInternal = 14,        // a bug: an invariant did not hold
  kUnsupported = 15,     // a command or version this peer does not speak
  kOverloaded = 16,      // the broker holds max_pending lookups: retry later
  kTlsError = 17,        // TLS handshake failed or the certificate did not verify
  kServerError = 18,     // the server answered with an error (HTTP 5xx, unusable body)
};

// The stable wire name of a code, e.g. "quota_exhausted". Never null.
const char* ErrorName(ErrorCode code);
// The code for a wire name; kInternal for an unknown name.
ErrorCode ErrorFromName(std::string_view name);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}
  static Status Ok() { return {}; }

  bool ok() const { return code_ == ErrorCode::kOk; }
  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "timeout: whois.example: no answer in 15 s"
  std::string ToString() const;
  // Marks an ignored status as deliberate (greppable).
  void PermitUnchecked() const {}

 private:
  ErrorCode code_ = ErrorCode::kOk;
  std::string message_;
};

// A value or the Status that explains its absence.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {}  // NOLINT
  Result(ErrorCode code, std::string message) : status_(code, std::move(message)) {}

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() & { return *value_; }
  const T& operator*() const& { return *value_; }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace whoisq::schema
