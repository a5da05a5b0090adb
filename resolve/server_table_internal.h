// Private to whoisq::resolve: look-ups on the server table that are not part
// of the public API.
#pragma once

#include <string_view>

namespace whoisq::resolve::internal {

// The table's query_template for domain queries sent to `whois_host`, or ""
// when no row naming that host has one (if rows disagree, the alphabetically
// first zone wins; in the shipped table they agree).
// `whois_host` is compared case-insensitively. Thread-safe.
std::string_view DomainTemplateForHost(std::string_view whois_host);

}  // namespace whoisq::resolve::internal
