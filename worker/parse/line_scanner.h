// Splits a decoded WHOIS answer into lines and reads each line's shape:
// indentation, "Key: value" (also "Key.....: value", "1a. Key : value"),
// JPRS "[Key]  value", or free text. Views point into the scanned text.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace whoisq::parse {

struct WhoisLine {
  std::string_view text;   // the line without its indentation and trailing blanks
  std::string_view key;    // normalized key ("registrant name"); empty when none
  std::string_view value;  // text after the separator, trimmed
  int indent = 0;          // leading blanks (a tab counts 8)
  bool blank = false;      // empty or only blanks
  bool comment = false;    // %, #, ;, >>> or ---- banner lines
  bool bracket = false;    // the key was written "[Key]"
};

// Lower-cases ASCII letters, turns every non-alphanumeric byte into one space
// and trims: "Registrant State/Province" -> "registrant state province",
// "Domain Name......." -> "domain name". Non-ASCII bytes are kept.
std::string NormalizeKey(std::string_view key);

// Scans every line (as split by SplitLineViews). Never fails. The text behind
// `views` and `key_arena` (which receives the normalized keys, so that no key
// costs an allocation) must outlive the result; `key_arena` is cleared.
std::vector<WhoisLine> ScanLines(const std::vector<std::string_view>& views,
                                 std::string& key_arena);

// Splits `text` into lines (LF, CRLF or CR), keeping empty lines.
std::vector<std::string_view> SplitLineViews(std::string_view text);

// Trims ASCII blanks (space, tab, CR, LF, VT, FF) and NBSP-free text.
std::string_view Trim(std::string_view s);

}  // namespace whoisq::parse
