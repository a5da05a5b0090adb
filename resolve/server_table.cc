// Parses the embedded tld-whois.tsv once into a zone -> TldInfo map.
#include "resolve/server_table.h"
#include "schema/ascii.h"

#include "resolve/server_table_internal.h"

#include <array>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace whoisq::resolve {
namespace internal {
extern const std::string_view kTldWhoisTsv;  // generated from data/tld-whois.tsv
}  // namespace internal

namespace {

using TldMap = std::map<std::string, TldInfo, std::less<>>;
using HostMap = std::map<std::string, std::string, std::less<>>;  // whois_host -> template

using schema::AsciiLower;

std::vector<std::string_view> SplitTabs(std::string_view line) {
  std::vector<std::string_view> fields;
  size_t start = 0;
  while (true) {
    size_t tab = line.find('\t', start);
    if (tab == std::string_view::npos) {
      fields.push_back(line.substr(start));
      return fields;
    }
    fields.push_back(line.substr(start, tab - start));
    start = tab + 1;
  }
}

// Columns are found by header name, so a reordered or extended file still works.
TldMap Parse(std::string_view tsv) {
  static constexpr std::array<std::string_view, 9> kColumns = {
      "tld", "kind", "status", "whois_host", "query_template", "referral", "charset", "web_url",
      "rdap_base"};
  std::array<size_t, kColumns.size()> index;
  index.fill(std::string_view::npos);
  bool have_header = false;
  TldMap map;
  size_t pos = 0;
  while (pos < tsv.size()) {
    size_t end = tsv.find('\n', pos);
    if (end == std::string_view::npos) end = tsv.size();
    std::string_view line = tsv.substr(pos, end - pos);
    pos = end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    std::vector<std::string_view> fields = SplitTabs(line);
    if (!have_header) {
      for (size_t i = 0; i < fields.size(); ++i) {
        for (size_t c = 0; c < kColumns.size(); ++c) {
          if (fields[i] == kColumns[c]) index[c] = i;
        }
      }
      have_header = true;
      continue;
    }
    auto field = [&](size_t c) -> std::string_view {
      return index[c] < fields.size() ? fields[index[c]] : std::string_view();
    };
    TldInfo info;
    info.tld = AsciiLower(field(0));
    if (info.tld.empty()) continue;
    info.kind = std::string(field(1));
    info.status = std::string(field(2));
    info.whois_host = AsciiLower(field(3));
    info.query_template = std::string(field(4));
    info.thin = !field(5).empty();
    info.charset = AsciiLower(field(6));
    info.web_url = std::string(field(7));
    info.rdap_base = std::string(field(8));
    std::string key = info.tld;
    map.emplace(std::move(key), std::move(info));  // first row wins on duplicates
  }
  return map;
}

const TldMap& Table() {
  static const TldMap table = Parse(internal::kTldWhoisTsv);
  return table;
}

const HostMap& Templates() {
  static const HostMap templates = [] {
    HostMap map;
    for (const auto& [tld, info] : Table()) {
      if (!info.whois_host.empty() && !info.query_template.empty()) {
        map.emplace(info.whois_host, info.query_template);
      }
    }
    return map;
  }();
  return templates;
}

}  // namespace

const TldInfo* FindTld(std::string_view name) {
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  const std::string lowered = AsciiLower(name);
  std::string_view rest = lowered;
  const TldMap& table = Table();
  // Candidates from the longest (the whole name) to the last label.
  while (!rest.empty()) {
    auto it = table.find(rest);
    if (it != table.end()) return &it->second;
    size_t dot = rest.find('.');
    if (dot == std::string_view::npos) break;
    rest.remove_prefix(dot + 1);
  }
  return nullptr;
}

size_t TldCount() { return Table().size(); }

namespace internal {

std::string_view DomainTemplateForHost(std::string_view whois_host) {
  const HostMap& templates = Templates();
  auto it = templates.find(AsciiLower(whois_host));
  return it == templates.end() ? std::string_view() : std::string_view(it->second);
}

}  // namespace internal

}  // namespace whoisq::resolve
