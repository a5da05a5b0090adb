// Reads where a WHOIS answer refers the query next: IANA's `refer:`/`whois:`,
// thin registries' `Registrar WHOIS Server:`, ARIN's `ReferralServer:`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace whoisq::worker {

struct Referral {
  std::string host;   // lower case, validated host name
  uint16_t port = 43;
};

// The referral target of `answer`, or nullopt when there is none or it cannot
// be followed over WHOIS: a URL of another scheme (http, rwhois), a value that
// is not a host name, or a referral to `current_host` itself.
std::optional<Referral> FindReferral(std::string_view answer, std::string_view current_host);

// True for a syntactically valid DNS host name (letters, digits, '-', '.';
// at least one dot; labels 1..63; total <= 253).
bool IsHostName(std::string_view host);

}  // namespace whoisq::worker
