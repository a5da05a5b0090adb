// Reading whois.iana.org answers: which server IANA refers a TLD, IP or AS to.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace whoisq::resolve {

// Returns the WHOIS host named by the first "refer:" line of an IANA answer,
// else by its first non-empty "whois:" line (TLD objects; some IPv6 answers
// carry only that one), trimmed and lower-cased, without a trailing dot.
// Returns nullopt when there is none or when the value is not a plain host
// name (letters, digits, '-', '.'; <= 253 bytes), so that network input never
// becomes a server name we would connect to. Thread-safe; no allocation kept.
std::optional<std::string> IanaWhoisServer(std::string_view iana_answer);

}  // namespace whoisq::resolve
