// Private to whoisq::resolve: the Public Suffix List (libpsl), ICANN section.
#pragma once

#include <string>
#include <string_view>

namespace whoisq::resolve::internal {

// Debian's compiled list (package publicsuffix); libpsl's built-in copy when absent.
inline constexpr const char* kPslDafsaPath = "/usr/share/publicsuffix/public_suffix_list.dafsa";

// Returns the public suffix of `host` (lower-case A-labels, no trailing dot,
// non-empty) by the ICANN section of the PSL and its implicit "*" rule: the
// longest suffix at a label boundary that is a public suffix. The result is a
// view into `host`. Private-section entries (github.io, blogspot.com) do not
// count: WHOIS knows the owner of github.io, not of user.github.io.
// Thread-safe; the first call loads the list.
std::string_view IcannPublicSuffix(const std::string& host);

// Where the list came from: kPslDafsaPath or "libpsl built-in".
std::string PslSource();

}  // namespace whoisq::resolve::internal
