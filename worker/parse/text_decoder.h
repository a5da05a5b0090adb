// Turns the bytes of a WHOIS answer into valid UTF-8: strict UTF-8 when the
// bytes are UTF-8, else the server's declared legacy charset, else ISO-8859-1.
#pragma once

#include <string>
#include <string_view>

namespace whoisq::parse {

// Legacy single-byte charsets a server table may name.
enum class Charset { kUtf8, kLatin1, kWindows1252, kWindows1251, kKoi8U };

// Returns true when `bytes` is well-formed UTF-8 (no overlongs, no
// surrogates, nothing above U+10FFFF).
bool IsValidUtf8(std::string_view bytes);

// Returns `bytes` as valid UTF-8. Valid UTF-8 is copied unchanged (NUL bytes
// are dropped); otherwise every byte is decoded with `fallback` (kUtf8 there
// means ISO-8859-1). Never fails.
std::string DecodeToUtf8(std::string_view bytes, Charset fallback);

}  // namespace whoisq::parse
