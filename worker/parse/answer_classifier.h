// Decides what kind of answer a text is before any field is read: a refusal
// because of rate limits, a "no such domain" answer, or data.
#pragma once

#include <string_view>

#include "worker/parse/server_rules.h"

namespace whoisq::parse {

enum class AnswerKind {
  kData,       // registration data (or nothing recognizable)
  kThrottled,  // refused because of rate limits or a ban
  kNotFound,   // the name is not registered
  kReserved,   // the name is reserved or restricted: not available, so "registered"
};

// Classifies `text` (the decoded answer; ASCII case is ignored). Throttle and
// refusal phrases are tested first: AFNIC's throttled answer also ends with
// "No entries found". Generic phrases plus the server's own. One pass over
// the text for the generic phrases.
AnswerKind ClassifyAnswer(std::string_view text, const ServerRule& rule);

// True when `lower_value` (a status value) means the name is free.
bool IsAvailableStatus(std::string_view lower_value);

}  // namespace whoisq::parse
