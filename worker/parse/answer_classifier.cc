#include "worker/parse/answer_classifier.h"

namespace whoisq::parse {
namespace {

// Rate-limit and refusal texts (shared/data/throttle-messages.txt, weppos
// response_throttled?, likexian isLimitExceeded), lower case.
constexpr std::string_view kThrottlePhrases[] = {
    "too many requests",
    "too many connections",
    "too many connection attempts",
    "excessive querying, grace period",
    "maximum queries per hour",
    "request limit exceeded",
    "whois limit exceeded",
    "limit exceeded for",
    "quota exceeded",
    "exceeded your quota",
    "quota of queries",
    "query quota",
    "has exceeded its quota",
    "connection limit exceeded",
    "query rate limit exceeded",
    "rate limit exceeded",
    "still in grace period",
    "please go away for",
    "access control limit reached",
    "only 1 request per second",
    "whois-limit exceeded",
    "ip address blocked",
    "%error:201: access denied",
    "%error:306: connections exceeded",
    "exceeded allowed connection rate",
    "440 request denied",
    "requests of this client are not permitted",
    "blacklisted: you have exceeded",
    "you have exceeded this limit",
    "you exceeded the maximum",
    "daily connection limit reached",
    "exceeded maximum connection limit",
    "please try your request again after",
    "look up quota exceeded",
    "lookup quota exceeded",
    "looup quota exceeded",
    "query limitation is",
    "server too busy",
};

// "No such domain" texts, lower case. A name is not found only when the
// answer also lacks registration data (the caller checks).
constexpr std::string_view kNotFoundPhrases[] = {
    "no match",
    "not found",
    "no entries found",
    "no entry found",
    "no data found",
    "no data was found",
    "no matching record",
    "no matching domain",
    "is not registered",
    "not registered",
    "no information available",
    "does not exist",
    "no records matching",
    "no records found",
    "no record found",
    "no object found",
    "object_not_found",
    "nothing found",
    "no domain records were found",
    "has not been registered",
    "not available in our whois database",
    "not known in",
    "we do not have an entry",
    "available for purchase",
    "available for registration",
    "data not found",
    "no found",
    "no such domain",
    "no results were found",
    "could not find the requested domain",
    "220 available",
    "is free",
    "domain is available",
    "not exist",
    "status: available",
    "status:\tavailable",
    "status: free",
    "status:\tfree",
    "등록되어 있지 않습니다",
};

bool Contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

// Answers that mention a limit but still carry the data (registro.br's
// "Query rate limit exceeded. Reduced information."): not refusals.
constexpr std::string_view kReducedOutputPhrases[] = {"reduced information"};

// Texts meaning the name cannot be registered: reserved or restricted names
// count as registered (not available), as the reference parsers do.
constexpr std::string_view kReservedPhrases[] = {
    "restricted from registration", "name is reserved", "domain is reserved", "reserved name",
    "this domain is reserved", "status: reserved", "prohibited string"};

}  // namespace

AnswerKind ClassifyAnswer(std::string_view lower_text, const ServerRule& rule) {
  bool reduced = false;
  for (std::string_view p : kReducedOutputPhrases) {
    if (Contains(lower_text, p)) reduced = true;
  }
  for (std::string_view p : kThrottlePhrases) {
    if (!reduced && Contains(lower_text, p)) return AnswerKind::kThrottled;
  }
  for (std::string_view p : rule.throttled) {
    if (Contains(lower_text, p)) return AnswerKind::kThrottled;
  }
  for (std::string_view p : rule.registered) {
    if (Contains(lower_text, p)) return AnswerKind::kData;
  }
  for (std::string_view p : kReservedPhrases) {
    if (Contains(lower_text, p)) return AnswerKind::kReserved;
  }
  for (std::string_view p : rule.not_found) {
    if (Contains(lower_text, p)) return AnswerKind::kNotFound;
  }
  for (std::string_view p : kNotFoundPhrases) {
    if (Contains(lower_text, p)) return AnswerKind::kNotFound;
  }
  return AnswerKind::kData;
}

bool IsAvailableStatus(std::string_view v) {
  static constexpr std::string_view kFree[] = {
      "available", "free", "no object found", "not registered", "not found",
      "220 available", "no match", "unassigned"};
  for (std::string_view f : kFree) {
    if (v.starts_with(f)) return true;
  }
  return false;
}

}  // namespace whoisq::parse
