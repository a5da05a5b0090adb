// The built-in TLD -> WHOIS server table, compiled from resolve/data/tld-whois.tsv
// (see resolve/data/NOTICE.md for its sources and licences).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace whoisq::resolve {

struct TldInfo {
  std::string tld;             // "com", or a special zone such as "co.uk" or "br.com"
  std::string kind;            // gtld-legacy, infra, cc, cc-idn, gtld-new, sld, gtld-retired?
  std::string status;          // ok, none, web-only, restricted, special, retired?
  std::string whois_host;      // "" when none
  std::string query_template;  // "%s" form for domain queries, "" = the bare name
  bool thin = false;           // referral rule: follow "Registrar WHOIS Server:"
  std::string charset;         // "" = utf-8 assumed (fall back to ISO-8859-1)
  std::string web_url;         // the web form for status web-only, else ""
  std::string rdap_base;       // https base URL ending in '/', "" if none known
};

// Returns the row of the longest zone that equals `name` or is a suffix of it
// at a label boundary ("foo.br.com" -> the br.com row, "foo.com" -> com), or
// nullptr when no zone matches. `name` is an A-label name (case and one
// trailing dot are ignored). The row lives as long as the program.
// Thread-safe; the first call parses the embedded table (once).
// For a kDomain Query, pass query.suffix: it names the zone the domain is
// registered in even when the domain itself is a special zone ("br.com").
const TldInfo* FindTld(std::string_view name);

// Number of rows (TLDs and special zones) in the table.
size_t TldCount();

}  // namespace whoisq::resolve
