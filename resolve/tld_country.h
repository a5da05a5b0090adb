// ccTLD -> ISO 3166-1 country, the fallback when a record names no country.
#pragma once

#include <string>
#include <string_view>

namespace whoisq::resolve {

// Returns the ISO 3166-1 alpha-2 code (upper case) for a country-code TLD:
// "de" -> "DE", "uk" -> "GB", "ac" -> "SH", "xn--p1ai" -> "RU"; "EU" for .eu
// and its IDN forms, "SU" for .su (reserved codes, see docs/resolve.md).
// Returns "" for gTLDs, unknown or undelegated TLDs. `tld` is an A-label or
// U-label TLD, any case; for a longer name its last label is used.
// Thread-safe.
std::string CountryForTld(std::string_view tld);

}  // namespace whoisq::resolve
