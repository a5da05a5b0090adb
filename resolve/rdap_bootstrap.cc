// Builds RdapBootstrap's lookup tables from IANA's RFC 9224 files and the
// extra table, validating every part first; lookups then touch only the
// tables (a hash map for DNS labels, sorted prefix tables per length for IPs,
// sorted disjoint ranges for AS numbers), never JSON.
#include "resolve/rdap_bootstrap.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <compare>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "resolve/server_table.h"
#include "resolve/url.h"

namespace whoisq::resolve {
namespace internal {

extern const std::string_view kRdapDnsJson;   // generated from data/rdap-dns.json
extern const std::string_view kRdapIpv4Json;  // data/rdap-ipv4.json
extern const std::string_view kRdapIpv6Json;  // data/rdap-ipv6.json
extern const std::string_view kRdapAsnJson;   // data/rdap-asn.json
extern const std::string_view kRdapExtraTsv;  // data/rdap-extra.tsv

using Uint128 = unsigned __int128;

// An RFC 3339 time as a UTC instant, for "is this file older" only.
struct Instant {
  int64_t seconds = 0;
  int64_t nanos = 0;
  auto operator<=>(const Instant&) const = default;
};

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

// What every registry keeps besides its entries. Each service's preferred
// base URL is stored once; entries refer to it by index.
struct RdapRegistryHeader {
  std::string publication;
  Instant published;
  std::vector<std::string> urls;
};

struct RdapDnsTable : RdapRegistryHeader {
  std::unordered_map<std::string, uint32_t, StringHash, std::equal_to<>> labels;
};

struct RdapIpTable : RdapRegistryHeader {
  struct Prefix {
    Uint128 network;
    uint32_t url;
  };
  struct Length {
    int bits;
    std::vector<Prefix> prefixes;  // sorted by network
  };
  int width = 32;               // 32 (IPv4) or 128 (IPv6)
  std::vector<Length> lengths;  // longest first
};

struct RdapAsnTable : RdapRegistryHeader {
  struct Range {
    uint32_t first;
    uint32_t last;
    uint32_t url;
  };
  std::vector<Range> ranges;  // sorted by first, disjoint
};

}  // namespace internal

namespace {

using internal::Instant;
using internal::RdapAsnTable;
using internal::RdapDnsTable;
using internal::RdapIpTable;
using internal::RdapRegistryHeader;
using internal::Uint128;
using schema::ErrorCode;
using schema::Result;
using schema::Status;

// A refreshed file larger than this is refused unread (dns.json is ~70 KB).
constexpr size_t kMaxFileBytes = 8 * 1024 * 1024;
constexpr size_t kMaxNameBytes = 253;
constexpr size_t kMaxLabelBytes = 63;
constexpr uint64_t kMaxAsNumber = 4294967295u;

// An entry's reason to be refused, or nullopt when it was added.
using EntryError = std::optional<std::string>;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Decimal digits only, at most `max_digits`, value in *out.
bool ParseDigits(std::string_view s, size_t max_digits, uint64_t* out) {
  if (s.empty() || s.size() > max_digits) return false;
  uint64_t v = 0;
  for (char c : s) {
    if (!IsDigit(c)) return false;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  *out = v;
  return true;
}

// ---------------------------------------------------------------- RFC 3339

// "2026-03-23T19:00:02Z", with optional fraction and a numeric offset.
std::optional<Instant> ParseRfc3339(std::string_view s) {
  const auto field = [&s](size_t pos, size_t n, uint64_t* out) {
    return pos + n <= s.size() && ParseDigits(s.substr(pos, n), n, out);
  };
  uint64_t year, month, day, hour, minute, second;
  if (!field(0, 4, &year) || s.substr(4, 1) != "-" || !field(5, 2, &month) || s.substr(7, 1) != "-" ||
      !field(8, 2, &day) || (s.substr(10, 1) != "T" && s.substr(10, 1) != "t") || !field(11, 2, &hour) ||
      s.substr(13, 1) != ":" || !field(14, 2, &minute) || s.substr(16, 1) != ":" || !field(17, 2, &second)) {
    return std::nullopt;
  }
  namespace chrono = std::chrono;
  const chrono::year_month_day date{chrono::year(static_cast<int>(year)),
                                    chrono::month(static_cast<unsigned>(month)),
                                    chrono::day(static_cast<unsigned>(day))};
  if (!date.ok() || hour > 23 || minute > 59 || second > 60) return std::nullopt;  // 60: leap second
  Instant t;
  t.seconds = chrono::sys_days(date).time_since_epoch().count() * 86400 +
              static_cast<int64_t>(hour * 3600 + minute * 60 + second);
  size_t pos = 19;
  if (pos < s.size() && s[pos] == '.') {
    const size_t start = ++pos;
    int64_t scale = 100000000;
    while (pos < s.size() && IsDigit(s[pos])) {
      t.nanos += (s[pos] - '0') * scale;  // digits past nanoseconds add 0
      scale /= 10;
      ++pos;
    }
    if (pos == start) return std::nullopt;
  }
  const std::string_view zone = s.substr(pos);
  if (zone == "Z" || zone == "z") return t;
  uint64_t off_hour, off_minute;
  if (zone.size() != 6 || (zone[0] != '+' && zone[0] != '-') || !ParseDigits(zone.substr(1, 2), 2, &off_hour) ||
      zone[3] != ':' || !ParseDigits(zone.substr(4, 2), 2, &off_minute) || off_hour > 23 || off_minute > 59) {
    return std::nullopt;
  }
  const auto offset = static_cast<int64_t>(off_hour * 3600 + off_minute * 60);
  t.seconds += zone[0] == '+' ? -offset : offset;
  return t;
}

// ---------------------------------------------------------------- entries

// A DNS entry: lower-case LDH labels (A-labels), no empty label, no label
// starting or ending with '-', within RFC 1035 lengths.
EntryError CheckDnsLabel(std::string_view name) {
  if (name.empty()) return "empty DNS entry";
  if (name.size() > kMaxNameBytes) return "DNS entry longer than 253 bytes";
  size_t start = 0;
  for (size_t i = 0; i <= name.size(); ++i) {
    if (i < name.size() && name[i] != '.') {
      const char c = name[i];
      if (!((c >= 'a' && c <= 'z') || IsDigit(c) || c == '-')) {
        return "DNS entry must be lower-case letters, digits, '-' and '.'";
      }
      continue;
    }
    const std::string_view label = name.substr(start, i - start);
    if (label.empty()) return "empty label in DNS entry";
    if (label.size() > kMaxLabelBytes) return "DNS label longer than 63 bytes";
    if (label.front() == '-' || label.back() == '-') return "DNS label starts or ends with '-'";
    start = i + 1;
  }
  return std::nullopt;
}

// An address as a number; IPv4 in the low 32 bits.
std::optional<Uint128> ParseAddress(std::string_view text, int width) {
  if (text.size() >= INET6_ADDRSTRLEN) return std::nullopt;
  const std::string z(text);
  std::array<unsigned char, 16> bytes{};
  if (inet_pton(width == 32 ? AF_INET : AF_INET6, z.c_str(), bytes.data()) != 1) return std::nullopt;
  Uint128 value = 0;
  for (int i = 0; i < width / 8; ++i) value = (value << 8) | bytes[static_cast<size_t>(i)];
  return value;
}

Uint128 Mask(int bits, int width) {
  if (bits == 0) return 0;
  const Uint128 all = width == 128 ? ~Uint128{0} : Uint128{0xFFFFFFFFu};
  return (all << (width - bits)) & all;
}

struct Prefix {
  Uint128 network = 0;
  int bits = 0;
};

// "<address>/<bits>" with the host bits zero.
std::optional<Prefix> ParsePrefix(std::string_view s, int width, std::string* why) {
  const size_t slash = s.find('/');
  uint64_t bits;
  if (slash == std::string_view::npos || !ParseDigits(s.substr(slash + 1), 3, &bits) ||
      bits > static_cast<uint64_t>(width)) {
    *why = "not a CIDR prefix (<address>/0-" + std::to_string(width) + ")";
    return std::nullopt;
  }
  std::optional<Uint128> address = ParseAddress(s.substr(0, slash), width);
  if (!address) {
    *why = width == 32 ? "invalid IPv4 address" : "invalid IPv6 address";
    return std::nullopt;
  }
  Prefix p{*address, static_cast<int>(bits)};
  if ((p.network & ~Mask(p.bits, width)) != 0) {
    *why = "host bits set after the prefix length";
    return std::nullopt;
  }
  return p;
}

// "<first>-<last>" or a single number, 0-4294967295, first <= last.
std::optional<std::pair<uint32_t, uint32_t>> ParseAsnRange(std::string_view s) {
  const size_t dash = s.find('-');
  uint64_t first, last;
  if (!ParseDigits(s.substr(0, dash), 10, &first)) return std::nullopt;
  last = first;
  if (dash != std::string_view::npos && !ParseDigits(s.substr(dash + 1), 10, &last)) return std::nullopt;
  if (first > last || last > kMaxAsNumber) return std::nullopt;
  return std::make_pair(static_cast<uint32_t>(first), static_cast<uint32_t>(last));
}

// A base URL as RFC 9224 requires it: absolute http(s), ending in '/', no
// query or fragment. Returns the canonical form (ParseUrl's) or the reason.
std::optional<std::string> CanonicalBaseUrl(std::string_view url, std::string* why) {
  Result<Url> parsed = ParseUrl(url);
  if (!parsed.ok()) {
    *why = parsed.status().message();
    return std::nullopt;
  }
  if (url.find_first_of("?#") != std::string_view::npos || !url.ends_with('/')) {
    *why = "base URL \"" + std::string(url) + "\" must end in '/' (no query or fragment)";
    return std::nullopt;
  }
  return parsed->ToString();
}

// ---------------------------------------------------------------- files

std::string Where(RdapRegistry r) { return std::string("rdap bootstrap ") + RdapRegistryFile(r) + ": "; }

Status Malformed(RdapRegistry r, const std::string& what) {
  return Status(ErrorCode::kMalformed, Where(r) + what);
}

// Validates the RFC 9224 envelope of `json`, fills the header (publication,
// one preferred URL per service) and hands each entry to `add` with its
// service's URL index. Stops at the first problem.
Status ParseRegistry(RdapRegistry r, std::string_view json, RdapRegistryHeader* header,
                     const std::function<EntryError(std::string_view entry, uint32_t url)>& add) {
  if (json.size() > kMaxFileBytes) return Malformed(r, "larger than " + std::to_string(kMaxFileBytes) + " bytes");
  const nlohmann::json doc = nlohmann::json::parse(json.begin(), json.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Malformed(r, "not valid JSON");
  if (!doc.is_object()) return Malformed(r, "not a JSON object");
  const auto version = doc.find("version");
  if (version == doc.end() || !version->is_string() || *version != "1.0") {
    return Malformed(r, "\"version\" must be \"1.0\"");
  }
  const auto publication = doc.find("publication");
  if (publication == doc.end() || !publication->is_string()) return Malformed(r, "no \"publication\" string");
  header->publication = publication->get<std::string>();
  std::optional<Instant> published = ParseRfc3339(header->publication);
  if (!published) return Malformed(r, "\"publication\" is not an RFC 3339 time: " + header->publication);
  header->published = *published;
  const auto description = doc.find("description");
  if (description != doc.end() && !description->is_string()) return Malformed(r, "\"description\" is not a string");
  const auto services = doc.find("services");
  if (services == doc.end() || !services->is_array()) return Malformed(r, "no \"services\" array");

  for (size_t i = 0; i < services->size(); ++i) {
    const nlohmann::json& service = (*services)[i];
    const std::string at = "services[" + std::to_string(i) + "]";
    if (!service.is_array() || service.size() != 2 || !service[0].is_array() || !service[1].is_array()) {
      return Malformed(r, at + " is not [[entries], [base URLs]]");
    }
    const nlohmann::json& entries = service[0];
    const nlohmann::json& urls = service[1];
    if (entries.empty()) return Malformed(r, at + " has no entries");
    if (urls.empty()) return Malformed(r, at + " has no base URLs");
    std::optional<std::string> preferred;
    for (size_t u = 0; u < urls.size(); ++u) {
      const std::string url_at = at + "[1][" + std::to_string(u) + "]";
      if (!urls[u].is_string()) return Malformed(r, url_at + " is not a string");
      std::string why;
      std::optional<std::string> canonical = CanonicalBaseUrl(urls[u].get_ref<const std::string&>(), &why);
      if (!canonical) return Malformed(r, url_at + ": " + why);
      // https first (RFC 9224 section 4: clients should prefer it), else the first listed.
      if (!preferred || (!preferred->starts_with("https:") && canonical->starts_with("https:"))) {
        preferred = std::move(canonical);
      }
    }
    const auto url_index = static_cast<uint32_t>(header->urls.size());
    header->urls.push_back(std::move(*preferred));
    for (size_t e = 0; e < entries.size(); ++e) {
      const std::string entry_at = at + "[0][" + std::to_string(e) + "]";
      if (!entries[e].is_string()) return Malformed(r, entry_at + " is not a string");
      const std::string& entry = entries[e].get_ref<const std::string&>();
      if (EntryError bad = add(entry, url_index)) return Malformed(r, entry_at + " \"" + entry + "\": " + *bad);
    }
  }
  return Status::Ok();
}

// The extra table, parsed from the embedded TSV: label -> base URL.
using ExtraRows = std::vector<std::pair<std::string, std::string>>;

Result<ExtraRows> ParseExtra(std::string_view tsv) {
  const auto bad = [](size_t line, const std::string& what) {
    return Result<ExtraRows>(ErrorCode::kMalformed,
                             "rdap-extra.tsv line " + std::to_string(line) + ": " + what);
  };
  ExtraRows rows;
  bool header = false;
  size_t line_no = 0;
  for (size_t pos = 0; pos < tsv.size();) {
    size_t end = tsv.find('\n', pos);
    if (end == std::string_view::npos) end = tsv.size();
    const std::string_view line = tsv.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (line.empty() || line.front() == '#') continue;
    const size_t tab = line.find('\t');
    if (tab == std::string_view::npos || line.find('\t', tab + 1) != std::string_view::npos) {
      return bad(line_no, "expected two tab-separated columns");
    }
    const std::string_view label = line.substr(0, tab);
    if (!header) {
      if (line != "tld\tbase_url") return bad(line_no, "header must be \"tld<TAB>base_url\"");
      header = true;
      continue;
    }
    if (EntryError why = CheckDnsLabel(label)) return bad(line_no, *why);
    std::string why;
    std::optional<std::string> url = CanonicalBaseUrl(line.substr(tab + 1), &why);
    if (!url) return bad(line_no, why);
    rows.emplace_back(std::string(label), std::move(*url));
  }
  return rows;
}

// Fatal: the embedded files are checked by the tests, so a failure here is a
// build that shipped broken data, not a run-time condition.
[[noreturn]] void BrokenEmbeddedData(const Status& status) {
  std::fprintf(stderr, "whoisq: embedded RDAP bootstrap data is broken: %s\n", status.ToString().c_str());
  std::abort();
}

const ExtraRows& Extra() {
  static const ExtraRows rows = [] {
    Result<ExtraRows> parsed = ParseExtra(internal::kRdapExtraTsv);
    if (!parsed.ok()) BrokenEmbeddedData(parsed.status());
    return std::move(parsed).value();
  }();
  return rows;
}

Result<std::shared_ptr<const RdapDnsTable>> BuildDns(std::string_view json) {
  auto table = std::make_shared<RdapDnsTable>();
  Status status = ParseRegistry(RdapRegistry::kDns, json, table.get(),
                                [&table](std::string_view entry, uint32_t url) -> EntryError {
                                  if (EntryError bad = CheckDnsLabel(entry)) return bad;
                                  if (!table->labels.emplace(std::string(entry), url).second) {
                                    return "listed twice";
                                  }
                                  return std::nullopt;
                                });
  if (!status.ok()) return status;
  // The extra table fills in TLDs IANA lacks; IANA's row wins.
  for (const auto& [label, url] : Extra()) {
    if (table->labels.contains(label)) continue;
    auto it = std::find(table->urls.begin(), table->urls.end(), url);
    if (it == table->urls.end()) it = table->urls.insert(it, url);
    table->labels.emplace(label, static_cast<uint32_t>(it - table->urls.begin()));
  }
  return std::shared_ptr<const RdapDnsTable>(std::move(table));
}

Result<std::shared_ptr<const RdapIpTable>> BuildIp(RdapRegistry r, std::string_view json) {
  auto table = std::make_shared<RdapIpTable>();
  table->width = r == RdapRegistry::kIpv4 ? 32 : 128;
  std::map<int, std::vector<RdapIpTable::Prefix>, std::greater<>> by_length;
  Status status = ParseRegistry(r, json, table.get(), [&](std::string_view entry, uint32_t url) -> EntryError {
    std::string why;
    std::optional<Prefix> p = ParsePrefix(entry, table->width, &why);
    if (!p) return why;
    by_length[p->bits].push_back({p->network, url});
    return std::nullopt;
  });
  if (!status.ok()) return status;
  for (auto& [bits, prefixes] : by_length) {
    std::sort(prefixes.begin(), prefixes.end(), [](const auto& a, const auto& b) { return a.network < b.network; });
    const auto twice = std::adjacent_find(prefixes.begin(), prefixes.end(),
                                          [](const auto& a, const auto& b) { return a.network == b.network; });
    if (twice != prefixes.end()) return Malformed(r, "a /" + std::to_string(bits) + " prefix is listed twice");
    table->lengths.push_back({bits, std::move(prefixes)});
  }
  return std::shared_ptr<const RdapIpTable>(std::move(table));
}

Result<std::shared_ptr<const RdapAsnTable>> BuildAsn(std::string_view json) {
  auto table = std::make_shared<RdapAsnTable>();
  Status status = ParseRegistry(RdapRegistry::kAsn, json, table.get(),
                                [&table](std::string_view entry, uint32_t url) -> EntryError {
                                  auto range = ParseAsnRange(entry);
                                  if (!range) return "not an AS number or range <first>-<last> (0-4294967295)";
                                  table->ranges.push_back({range->first, range->second, url});
                                  return std::nullopt;
                                });
  if (!status.ok()) return status;
  auto& ranges = table->ranges;
  std::sort(ranges.begin(), ranges.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (size_t i = 1; i < ranges.size(); ++i) {
    if (ranges[i].first <= ranges[i - 1].last) {
      return Malformed(RdapRegistry::kAsn, "ranges overlap at AS" + std::to_string(ranges[i].first));
    }
  }
  return std::shared_ptr<const RdapAsnTable>(std::move(table));
}

template <typename T>
std::shared_ptr<const T> Embedded(Result<std::shared_ptr<const T>> built) {
  if (!built.ok()) BrokenEmbeddedData(built.status());
  return std::move(built).value();
}

// Installs `built` in `*slot` unless it failed or is older than what is there.
template <typename T>
Status Replace(RdapRegistry r, Result<std::shared_ptr<const T>> built, std::shared_ptr<const T>* slot) {
  if (!built.ok()) return built.status();
  if (*slot && (*built)->published < (*slot)->published) {
    return Malformed(r, "publication " + (*built)->publication + " is older than the current " +
                            (*slot)->publication);
  }
  *slot = std::move(built).value();
  return Status::Ok();
}

// ---------------------------------------------------------------- queries

// The parts of a kIp query's normalized text: "8.8.8.8", "10.0.0.0/8", "2001:db8::/32".
struct IpQuery {
  bool v6 = false;
  Uint128 address = 0;
  int bits = 0;  // the CIDR length, or the width for a single address
  bool cidr = false;
  std::string_view text;  // the address without "/bits"
};

std::optional<IpQuery> ParseIpQuery(std::string_view normalized) {
  IpQuery q;
  const size_t slash = normalized.find('/');
  q.text = normalized.substr(0, slash);
  q.v6 = q.text.find(':') != std::string_view::npos;
  const int width = q.v6 ? 128 : 32;
  std::optional<Uint128> address = ParseAddress(q.text, width);
  if (!address) return std::nullopt;
  q.address = *address;
  q.bits = width;
  if (slash != std::string_view::npos) {
    uint64_t bits;
    if (!ParseDigits(normalized.substr(slash + 1), 3, &bits) || bits > static_cast<uint64_t>(width)) {
      return std::nullopt;
    }
    q.bits = static_cast<int>(bits);
    q.cidr = true;
  }
  return q;
}

// "AS15169" -> 15169.
std::optional<uint32_t> ParseAsQuery(std::string_view normalized) {
  uint64_t n;
  if (!normalized.starts_with("AS") || !ParseDigits(normalized.substr(2), 10, &n) || n > kMaxAsNumber) {
    return std::nullopt;
  }
  return static_cast<uint32_t>(n);
}

// The name whose label suffixes are looked up, without the root dot.
std::string_view DnsName(const Query& q) {
  std::string_view name = q.suffix.empty() ? std::string_view(q.normalized) : std::string_view(q.suffix);
  if (name.ends_with('.')) name.remove_suffix(1);
  return name;
}

// True when `name` lies in a special registry zone of the server table that
// is longer than `matched_bytes` (br.com, ac.uk, ...): such a zone has its own
// registry, so the RDAP server of the shorter bootstrap match (Verisign for
// com) does not hold its names. Same zones as Normalize's suffix rule.
bool InOwnRegistryZone(std::string_view name, size_t matched_bytes) {
  const TldInfo* zone = FindTld(name);
  return zone != nullptr && zone->tld.size() > matched_bytes && zone->kind == "sld" &&
         (zone->status == "ok" || zone->status == "web-only" || zone->status == "special");
}

// Longest label suffix of `name` in the table (RFC 9224 section 4).
const std::string* FindDns(const RdapDnsTable& table, std::string_view name) {
  std::string_view candidate = name;
  while (!candidate.empty()) {
    const auto it = table.labels.find(candidate);
    if (it != table.labels.end()) {
      // Only multi-label names that matched short pay for the zone check.
      if (candidate.size() < name.size() && InOwnRegistryZone(name, candidate.size())) return nullptr;
      return &table.urls[it->second];
    }
    const size_t dot = candidate.find('.');
    if (dot == std::string_view::npos) break;
    candidate.remove_prefix(dot + 1);
  }
  return nullptr;
}

const std::string* FindIp(const RdapIpTable& table, const IpQuery& q) {
  for (const RdapIpTable::Length& length : table.lengths) {
    if (length.bits > q.bits) continue;  // a registry prefix must contain the whole network
    const Uint128 network = q.address & Mask(length.bits, table.width);
    const auto it = std::lower_bound(length.prefixes.begin(), length.prefixes.end(), network,
                                     [](const auto& p, Uint128 n) { return p.network < n; });
    if (it != length.prefixes.end() && it->network == network) return &table.urls[it->url];
  }
  return nullptr;
}

const std::string* FindAsn(const RdapAsnTable& table, uint32_t n) {
  const auto it = std::upper_bound(table.ranges.begin(), table.ranges.end(), n,
                                   [](uint32_t v, const auto& range) { return v < range.first; });
  if (it == table.ranges.begin()) return nullptr;
  const auto& range = *std::prev(it);
  return n <= range.last ? &table.urls[range.url] : nullptr;
}

// An IPv6 address keeps its ':' (allowed in a path segment, RFC 3986 3.3;
// "%3A" is not equivalent to ':' for a reserved character, section 2.2).
std::string EncodeAddress(std::string_view address) {
  std::string out;
  size_t start = 0;
  while (true) {
    const size_t colon = address.find(':', start);
    out += EncodePathSegment(address.substr(start, colon - start));
    if (colon == std::string_view::npos) return out;
    out += ':';
    start = colon + 1;
  }
}

}  // namespace

const char* RdapRegistryFile(RdapRegistry r) {
  switch (r) {
    case RdapRegistry::kDns:
      return "dns.json";
    case RdapRegistry::kIpv4:
      return "ipv4.json";
    case RdapRegistry::kIpv6:
      return "ipv6.json";
    case RdapRegistry::kAsn:
      return "asn.json";
  }
  return "dns.json";
}

RdapBootstrap RdapBootstrap::Builtin() {
  static const RdapBootstrap builtin = [] {
    RdapBootstrap b;
    b.dns_ = Embedded(BuildDns(internal::kRdapDnsJson));
    b.ipv4_ = Embedded(BuildIp(RdapRegistry::kIpv4, internal::kRdapIpv4Json));
    b.ipv6_ = Embedded(BuildIp(RdapRegistry::kIpv6, internal::kRdapIpv6Json));
    b.asn_ = Embedded(BuildAsn(internal::kRdapAsnJson));
    return b;
  }();
  return builtin;
}

Status RdapBootstrap::Load(RdapRegistry r, std::string_view json) {
  switch (r) {
    case RdapRegistry::kDns:
      return Replace(r, BuildDns(json), &dns_);
    case RdapRegistry::kIpv4:
      return Replace(r, BuildIp(r, json), &ipv4_);
    case RdapRegistry::kIpv6:
      return Replace(r, BuildIp(r, json), &ipv6_);
    case RdapRegistry::kAsn:
      return Replace(r, BuildAsn(json), &asn_);
  }
  return Status(ErrorCode::kMalformed, "unknown RDAP registry");
}

std::string RdapBootstrap::Publication(RdapRegistry r) const {
  const RdapRegistryHeader* header = nullptr;
  switch (r) {
    case RdapRegistry::kDns:
      header = dns_.get();
      break;
    case RdapRegistry::kIpv4:
      header = ipv4_.get();
      break;
    case RdapRegistry::kIpv6:
      header = ipv6_.get();
      break;
    case RdapRegistry::kAsn:
      header = asn_.get();
      break;
  }
  return header ? header->publication : std::string();
}

std::optional<std::string> RdapBootstrap::BaseUrl(const Query& q) const {
  if (!dns_ || !ipv4_ || !ipv6_ || !asn_) return std::nullopt;  // moved-from
  const std::string* url = nullptr;
  switch (q.type) {
    case QueryType::kDomain:
    case QueryType::kTld:
      url = FindDns(*dns_, DnsName(q));
      break;
    case QueryType::kIp:
      if (std::optional<IpQuery> ip = ParseIpQuery(q.normalized)) url = FindIp(ip->v6 ? *ipv6_ : *ipv4_, *ip);
      break;
    case QueryType::kAs:
      if (std::optional<uint32_t> n = ParseAsQuery(q.normalized)) url = FindAsn(*asn_, *n);
      break;
  }
  if (url == nullptr) return std::nullopt;
  return *url;
}

std::optional<std::string> RdapBootstrap::QueryUrl(const Query& q) const {
  if (q.type == QueryType::kTld) return std::nullopt;
  std::optional<std::string> url = BaseUrl(q);
  if (!url) return std::nullopt;
  switch (q.type) {
    case QueryType::kDomain: {
      std::string_view name = q.normalized;
      if (name.ends_with('.')) name.remove_suffix(1);
      if (name.empty()) return std::nullopt;
      *url += "domain/" + EncodePathSegment(name);
      break;
    }
    case QueryType::kIp: {
      const std::optional<IpQuery> ip = ParseIpQuery(q.normalized);  // BaseUrl found it: it parses
      *url += "ip/" + EncodeAddress(ip->text);
      if (ip->cidr) *url += "/" + std::to_string(ip->bits);
      break;
    }
    case QueryType::kAs:
      *url += "autnum/" + std::to_string(*ParseAsQuery(q.normalized));
      break;
    case QueryType::kTld:
      return std::nullopt;
  }
  return url;
}

size_t RdapBootstrap::DnsEntries() const { return dns_ ? dns_->labels.size() : 0; }

}  // namespace whoisq::resolve
