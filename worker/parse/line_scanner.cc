#include "worker/parse/line_scanner.h"

#include <cstring>

namespace whoisq::parse {

// Writes the normalized form of `key` into `buf` (at most `size` bytes) and
// returns its length.
size_t NormalizeKeyTo(std::string_view key, char* buf, size_t size);

namespace {

// Longest key read as a key; longer text before a colon is a sentence.
constexpr size_t kMaxKeyLength = 64;
constexpr int kMaxKeyWords = 8;

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'; }
bool IsAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
bool IsDigitChar(char c) { return c >= '0' && c <= '9'; }
bool IsLetter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || static_cast<unsigned char>(c) >= 0x80;
}

// Drops an enumerator such as "1a." or "a." before a key (gov.za, JPRS).
std::string_view StripEnumerator(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && i < 3 && IsAlnum(s[i])) ++i;
  if (i > 0 && i < s.size() && s[i] == '.' && i + 1 < s.size() && IsBlank(s[i + 1])) {
    return Trim(s.substr(i + 1));
  }
  // "a [Domain Name]" (MYNIC).
  if (i == 1 && i + 1 < s.size() && s[i] == ' ' && s[i + 1] == '[') return s.substr(i + 1);
  return s;
}

// True when the text outside parentheses is a plausible key (short, few
// words) and the parentheses are balanced.
bool ShortOutsideParens(std::string_view s) {
  if (s.size() > 512) return false;
  int depth = 0;
  size_t outside = 0;
  int words = 0;
  bool in = false;
  for (char c : s) {
    if (c == '(') {
      ++depth;
      in = false;
      continue;
    }
    if (c == ')') {
      if (depth == 0) return false;
      --depth;
      continue;
    }
    if (depth > 0) continue;
    ++outside;
    bool blank = IsBlank(c);
    if (!blank && !in) ++words;
    in = !blank;
  }
  return depth == 0 && outside <= kMaxKeyLength && words <= kMaxKeyWords;
}

int CountWords(std::string_view s) {
  int words = 0;
  bool in = false;
  for (char c : s) {
    bool blank = IsBlank(c);
    if (!blank && !in) ++words;
    in = !blank;
  }
  return words;
}

bool IsComment(std::string_view t) {
  if (t.empty()) return false;
  char c = t[0];
  if (c == '%' || c == '#' || c == ';') return true;
  if (t.starts_with(">>>") || t.starts_with("<<<") || t.starts_with("--") ||
      t.starts_with("==") || t.starts_with("__")) {
    return true;
  }
  return false;
}

// "** Registrant:" (nic.tr) is a header; "*****" and "*  Welcome  *" are banners.
bool StripStars(std::string_view& t) {
  if (t.empty() || t[0] != '*') return false;
  size_t i = 0;
  while (i < t.size() && (t[i] == '*' || t[i] == ' ' || t[i] == '\t')) ++i;
  std::string_view rest = Trim(t.substr(i));
  if (rest.empty() || rest.back() == '*') return true;  // banner: a comment
  t = rest;
  return false;
}

// Appends the normalized key to `arena` (which never reallocates: the caller
// reserved room for every key) and returns a view of it.
std::string_view StoreKey(std::string_view raw, std::string& arena) {
  char buf[128];
  size_t len = NormalizeKeyTo(raw, buf, sizeof buf);
  if (arena.size() + len > arena.capacity()) return {};  // cannot happen: keys shrink
  size_t at = arena.size();
  arena.append(buf, len);
  return std::string_view(arena.data() + at, len);
}

void ReadKey(WhoisLine& line, std::string& arena) {
  std::string_view t = StripEnumerator(line.text);
  if (t.empty()) return;
  // JPRS and DENIC: "[Domain Name]   EXAMPLE.JP", "[Tech-C]".
  if (t[0] == '[') {
    size_t close = t.find(']');
    if (close != std::string_view::npos && close > 1 && close <= kMaxKeyLength) {
      line.key = StoreKey(t.substr(1, close - 1), arena);
      line.value = Trim(t.substr(close + 1));
      line.bracket = true;
      return;
    }
  }
  if (!IsLetter(t[0])) return;
  size_t colon = t.find(':');
  if (colon == std::string_view::npos || colon == 0) return;
  // An aside in parentheses does not count against the key's size:
  // "Company English Name (It should be the same as ... documents): X".
  if (colon > kMaxKeyLength && !ShortOutsideParens(t.substr(0, colon))) return;
  // "... on Mon Apr 19 21:47:14 2010": a time, not a separator.
  if (IsDigitChar(t[colon - 1]) && colon + 1 < t.size() && IsDigitChar(t[colon + 1])) return;
  std::string_view raw_key = t.substr(0, colon);
  // "http://..." is a URL, not a key.
  if (t.substr(colon).starts_with("://")) return;
  if (CountWords(raw_key) > kMaxKeyWords && !ShortOutsideParens(raw_key)) return;
  // "ns1.example.ch [2001:db8::1]" is a host and an address, not a key.
  for (size_t k = 0; k < raw_key.size(); ++k) {
    char c = raw_key[k];
    if (c == '[' || c == '@') return;
    if (c == '.' && k + 1 < raw_key.size() && IsAlnum(raw_key[k + 1])) return;
  }
  // Bilingual keys: "Data de registo / Creation Date" -> the last language.
  size_t slash = raw_key.rfind(" / ");
  if (slash != std::string_view::npos) raw_key = raw_key.substr(slash + 3);
  std::string_view key = StoreKey(raw_key, arena);
  if (key.empty()) return;
  line.key = key;
  std::string_view value = Trim(t.substr(colon + 1));
  // YAML: a "!Tag" value opens a block; a quoted scalar loses its quotes.
  if (!value.empty() && value[0] == '!') value = {};
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
    value = value.substr(1, value.size() - 2);
  }
  line.value = value;
}

}  // namespace

std::string_view Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && IsBlank(s[b])) ++b;
  while (e > b && IsBlank(s[e - 1])) --e;
  return s.substr(b, e - b);
}

size_t NormalizeKeyTo(std::string_view key, char* buf, size_t size) {
  if (key.size() > size) key = key.substr(0, size);
  size_t len = 0;
  bool pending_space = false;
  int depth = 0;
  for (size_t i = 0; i < key.size(); ++i) {
    char c = key[i];
    unsigned char u = static_cast<unsigned char>(c);
    // "(dd/mm/yyyy)", "(S)" and other asides are not part of the key.
    if (c == '(') {
      ++depth;
      pending_space = true;
      continue;
    }
    if (c == ')' && depth > 0) {
      --depth;
      continue;
    }
    if (depth > 0) continue;
    // "Owner's handle" -> "owner handle".
    if (c == '\'' && i + 1 < key.size() && (key[i + 1] == 's' || key[i + 1] == 'S') &&
        (i + 2 == key.size() || !IsAlnum(key[i + 2]))) {
      ++i;
      pending_space = true;
      continue;
    }
    if (IsAlnum(c) || u >= 0x80) {
      if (pending_space && len > 0) buf[len++] = ' ';
      pending_space = false;
      if (len < size) buf[len++] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    } else {
      pending_space = true;
    }
    if (len + 1 >= size) break;
  }
  return len;
}

std::string NormalizeKey(std::string_view key) {
  char buf[128];
  return std::string(buf, NormalizeKeyTo(key, buf, sizeof buf));
}

std::vector<std::string_view> SplitLineViews(std::string_view text) {
  std::vector<std::string_view> lines;
  lines.reserve(text.size() / 40 + 1);
  const char* const begin = text.data();
  const size_t n = text.size();
  size_t start = 0;
  while (start < n) {
    const void* hit = std::memchr(begin + start, '\n', n - start);
    size_t end = hit ? static_cast<size_t>(static_cast<const char*>(hit) - begin) : n;
    // Lone CRs (old Mac line ends) inside the segment also end lines.
    size_t from = start;
    while (true) {
      const void* cr = std::memchr(begin + from, '\r', end - from);
      if (cr == nullptr) break;
      size_t at = static_cast<size_t>(static_cast<const char*>(cr) - begin);
      if (at + 1 == end && hit != nullptr) {  // CRLF
        end = at;
        break;
      }
      lines.push_back(text.substr(start, at - start));
      start = from = at + 1;
    }
    lines.push_back(text.substr(start, end - start));
    if (hit == nullptr) return lines;
    start = static_cast<size_t>(static_cast<const char*>(hit) - begin) + 1;
  }
  return lines;
}

std::vector<WhoisLine> ScanLines(const std::vector<std::string_view>& views,
                                 std::string& key_arena) {
  size_t total = 0;
  for (std::string_view v : views) total += v.size();
  key_arena.clear();
  key_arena.reserve(total + 1);
  std::vector<WhoisLine> lines;
  lines.reserve(views.size());
  for (std::string_view v : views) {
    WhoisLine line;
    int indent = 0;
    size_t i = 0;
    while (i < v.size() && (v[i] == ' ' || v[i] == '\t')) {
      indent += v[i] == '\t' ? 8 : 1;
      ++i;
    }
    line.indent = indent;
    line.text = Trim(v.substr(i));
    if (line.text.empty()) {
      line.blank = true;
    } else if (IsComment(line.text) || StripStars(line.text)) {
      line.comment = true;
    } else {
      ReadKey(line, key_arena);
    }
    lines.push_back(std::move(line));
  }
  return lines;
}

}  // namespace whoisq::parse
