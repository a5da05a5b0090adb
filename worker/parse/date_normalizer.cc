#include "worker/parse/date_normalizer.h"

#include <array>
#include <cstdint>
#include <optional>

namespace whoisq::parse {
namespace {

struct NamedValue {
  std::string_view name;
  int value;
};

// Month names (English, plus the abbreviations some registries use).
constexpr NamedValue kMonths[] = {
    {"jan", 1},      {"january", 1}, {"feb", 2},   {"february", 2}, {"mar", 3},
    {"march", 3},    {"apr", 4},     {"april", 4}, {"may", 5},      {"jun", 6},
    {"june", 6},     {"jul", 7},     {"july", 7},  {"aug", 8},      {"august", 8},
    {"sep", 9},      {"sept", 9},    {"september", 9}, {"oct", 10}, {"october", 10},
    {"nov", 11},     {"november", 11}, {"dec", 12}, {"december", 12}};

// Zone names read as UTC. Other abbreviations ("EAT", "EEST", "CST") are
// ambiguous or server-local: the time is then taken as written, which is what
// the reference parsers do; numeric offsets are always applied.
constexpr NamedValue kZones[] = {{"z", 0}, {"utc", 0}, {"gmt", 0}, {"ut", 0}};

std::optional<int> Lookup(const NamedValue* table, size_t n, std::string_view word) {
  for (size_t i = 0; i < n; ++i) {
    if (table[i].name == word) return table[i].value;
  }
  return std::nullopt;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
int DaysInMonth(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return (m == 2 && IsLeap(y)) ? 29 : kDays[m - 1];
}
bool ValidDate(int y, int m, int d) {
  return y >= 1900 && y <= 2200 && m >= 1 && m <= 12 && d >= 1 && d <= DaysInMonth(y, m);
}

// Days since 1970-01-01 (Howard Hinnant's civil algorithms).
int64_t DaysFromCivil(int y, int m, int d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}
void CivilFromDays(int64_t z, int& y, int& m, int& d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  y = static_cast<int>(yoe + era * 400 + (m <= 2));
}

struct Number {
  int64_t value;
  int digits;
};

// What the scan of one date string found.
struct Pieces {
  std::array<Number, 4> numbers{};
  int count = 0;
  int month_word = 0;  // 1..12 when a month name was seen
  bool has_time = false;
  int minutes = 0;  // time of day, minutes
  bool has_offset = false;
  int offset = 0;  // minutes east of UTC
  bool separated_by_dash_or_dot = false;
};

// "yyyy-mm-dd" for a valid date (1900 <= y <= 2200).
std::string Format(int y, int m, int d) {
  std::string out = "0000-00-00";
  out[0] = static_cast<char>('0' + y / 1000);
  out[1] = static_cast<char>('0' + y / 100 % 10);
  out[2] = static_cast<char>('0' + y / 10 % 10);
  out[3] = static_cast<char>('0' + y % 10);
  out[5] = static_cast<char>('0' + m / 10);
  out[6] = static_cast<char>('0' + m % 10);
  out[8] = static_cast<char>('0' + d / 10);
  out[9] = static_cast<char>('0' + d % 10);
  return out;
}

// Scans `text` for the pieces of one date; stops after the date's year when
// more text follows (so a second date on the line is not mixed in).
Pieces Scan(std::string_view s) {
  Pieces p;
  size_t i = 0;
  const size_t n = s.size();
  bool last_was_time = false;
  while (i < n) {
    char c = s[i];
    if (IsDigit(c)) {
      size_t j = i;
      int64_t v = 0;
      while (j < n && IsDigit(s[j])) {
        if (j - i < 15) v = v * 10 + (s[j] - '0');
        ++j;
      }
      int digits = static_cast<int>(j - i);
      // hh:mm[:ss[.frac]]
      if (digits <= 2 && j + 1 < n && s[j] == ':' && IsDigit(s[j + 1]) && !p.has_time &&
          p.count > 0) {
        int h = static_cast<int>(v);
        size_t k = j + 1;
        int mm = 0, kd = 0;
        while (k < n && IsDigit(s[k]) && kd < 2) {
          mm = mm * 10 + (s[k] - '0');
          ++k;
          ++kd;
        }
        if (k + 1 < n && s[k] == ':' && IsDigit(s[k + 1])) {
          k += 1;
          while (k < n && IsDigit(s[k])) ++k;
          if (k + 1 < n && (s[k] == '.' || s[k] == ',') && IsDigit(s[k + 1])) {
            ++k;
            while (k < n && IsDigit(s[k])) ++k;
          }
        }
        if (h < 24 && mm < 60) {
          p.has_time = true;
          p.minutes = h * 60 + mm;
          last_was_time = true;
        }
        i = k;
        continue;
      }
      // Skip ordinal suffixes: 2nd, 17th.
      size_t k = j;
      if (k + 1 < n && IsAlpha(s[k]) && IsAlpha(s[k + 1])) {
        char a = Lower(s[k]), b = Lower(s[k + 1]);
        bool ordinal = (a == 's' && b == 't') || (a == 'n' && b == 'd') ||
                       (a == 'r' && b == 'd') || (a == 't' && b == 'h');
        if (ordinal && (k + 2 >= n || !IsAlpha(s[k + 2]))) k += 2;
      }
      if (p.count < 4) p.numbers[p.count++] = {v, digits};
      last_was_time = false;
      i = k;
      // A complete date is in hand: stop before unrelated numbers, but still
      // read a time and zone that follow.
      continue;
    }
    if ((c == '+' || c == '-') && last_was_time && i + 2 < n && IsDigit(s[i + 1]) &&
        IsDigit(s[i + 2])) {
      int sign = c == '-' ? -1 : 1;
      size_t k = i + 1;
      int hh = (s[k] - '0') * 10 + (s[k + 1] - '0');
      k += 2;
      int mm = 0;
      if (k < n && s[k] == ':') ++k;
      if (k + 1 < n && IsDigit(s[k]) && IsDigit(s[k + 1])) {
        mm = (s[k] - '0') * 10 + (s[k + 1] - '0');
        k += 2;
      }
      if (hh <= 14 && mm < 60 && !p.has_offset) {
        p.has_offset = true;
        p.offset = sign * (hh * 60 + mm);
      }
      last_was_time = false;
      i = k;
      continue;
    }
    if (IsAlpha(c)) {
      size_t j = i;
      char word[12];
      size_t len = 0;
      while (j < n && IsAlpha(s[j])) {
        if (len < sizeof word) word[len] = Lower(s[j]);
        ++len;
        ++j;
      }
      if (len <= sizeof word) {
        std::string_view w(word, len);
        if (auto month = Lookup(kMonths, std::size(kMonths), w); month && p.month_word == 0) {
          p.month_word = *month;
        } else if (auto zone = Lookup(kZones, std::size(kZones), w);
                   zone && p.has_time && !p.has_offset) {
          p.has_offset = true;
          p.offset = *zone;
        }
      }
      i = j;
      continue;
    }
    if ((c == '-' || c == '.') && p.count > 0) p.separated_by_dash_or_dot = true;
    ++i;
  }
  return p;
}

std::string Finish(int y, int m, int d, const Pieces& p) {
  if (!ValidDate(y, m, d)) return "";
  if (p.has_time && p.has_offset && p.offset != 0) {
    int64_t total = DaysFromCivil(y, m, d) * 1440 + p.minutes - p.offset;
    int64_t days = total >= 0 ? total / 1440 : (total - 1439) / 1440;
    CivilFromDays(days, y, m, d);
  }
  return Format(y, m, d);
}

int ExpandYear(const Number& n) {
  if (n.digits == 4) return static_cast<int>(n.value);
  if (n.digits == 2) return static_cast<int>(n.value < 50 ? 2000 + n.value : 1900 + n.value);
  return -1;
}

}  // namespace

std::string NormalizeDate(std::string_view text, DateOrder order) {
  if (text.size() > 200) text = text.substr(0, 200);
  Pieces p = Scan(text);
  if (p.count == 0) return "";
  // yyyymmdd or yyyymmddhhmmss as a single number.
  for (int i = 0; i < p.count; ++i) {
    const Number& n = p.numbers[i];
    if (n.digits == 8 || n.digits == 14 || n.digits == 12) {
      int64_t v = n.value;
      int hhmm = -1;
      if (n.digits == 14) {
        hhmm = static_cast<int>((v / 100) % 10000);
        v /= 1000000;
      } else if (n.digits == 12) {
        hhmm = static_cast<int>(v % 10000);
        v /= 10000;
      }
      int y = static_cast<int>(v / 10000), m = static_cast<int>((v / 100) % 100),
          d = static_cast<int>(v % 100);
      Pieces q = p;
      if (hhmm >= 0 && !q.has_time) {
        q.has_time = true;
        q.minutes = (hhmm / 100) * 60 + hhmm % 100;
      }
      std::string out = Finish(y, m, d, q);
      if (!out.empty()) return out;
    }
  }
  if (p.month_word != 0) {
    // "08-Mar-2004", "Nov 07 2001", "2nd April, 2001", "2004-Mar-08".
    int year = -1, day = -1;
    for (int i = 0; i < p.count; ++i) {
      const Number& n = p.numbers[i];
      if (n.digits == 4 && year < 0) {
        year = static_cast<int>(n.value);
      } else if (n.digits <= 2 && day < 0) {
        day = static_cast<int>(n.value);
      } else if (n.digits <= 2 && year < 0) {
        year = ExpandYear(n);
      }
    }
    if (year < 0 || day < 0) return "";
    return Finish(year, p.month_word, day, p);
  }
  if (p.count < 3) return "";
  const Number& a = p.numbers[0];
  const Number& b = p.numbers[1];
  const Number& c = p.numbers[2];
  if (a.digits == 4) return Finish(static_cast<int>(a.value), static_cast<int>(b.value),
                                   static_cast<int>(c.value), p);
  int year = ExpandYear(c);
  if (year < 0 || a.digits > 2 || b.digits > 2) return "";
  int first = static_cast<int>(a.value), second = static_cast<int>(b.value);
  bool day_first = order == DateOrder::kDayFirst;
  if (first > 12) day_first = true;
  if (second > 12) day_first = false;
  return day_first ? Finish(year, second, first, p) : Finish(year, first, second, p);
}

}  // namespace whoisq::parse
