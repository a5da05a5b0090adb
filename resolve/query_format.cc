// FormatQuery(): per-server query templates as a table (knowledge as data).
#include "resolve/query_format.h"
#include "schema/ascii.h"

#include <cassert>
#include <string>
#include <string_view>

#include "resolve/server_table_internal.h"

namespace whoisq::resolve {
namespace {

// Templates per query type; "" = send the bare normalized form.
// %s = the normalized query, %n = the AS number without "AS".
struct ServerFormat {
  std::string_view host;
  std::string_view domain;
  std::string_view ip;
  std::string_view cidr;
  std::string_view as;
  std::string_view tld;
};

// Sources per row are in docs/resolve.md (whois-ecosystem.md section 2).
// RIPE-database servers: "-V whoisq" names the client (as rfc1036/whois sends
// "-V Md<version>"; no comma, which would claim the proxy role and draw
// %ERROR:203), "-r" leaves out referenced person/role objects, which keeps us
// off the daily personal-data quota (RIPE 1,000/day, AFRINIC 5,000/day).
constexpr std::string_view kRipe = "-V whoisq -r %s";
constexpr ServerFormat kFormats[] = {
    // host                      domain               ip          cidr        as          tld
    {"whois.verisign-grs.com",   "domain %s",         "",         "",         "",         ""},
    {"ccwhois.verisign-grs.com", "domain %s",         "",         "",         "",         ""},
    {"whois.denic.de",           "-T dn,ace %s",      "",         "",         "",         ""},
    {"whois.jprs.jp",            "%s/e",              "",         "",         "",         ""},
    {"whois.nic.ad.jp",          "",                  "%s/e",     "%s/e",     "AS %n/e",  ""},
    {"whois.arin.net",           "",                  "n + %s",   "r + = %s", "a %n",     ""},
    {"whois.ripe.net",           kRipe,               kRipe,      kRipe,      kRipe,      ""},
    {"whois.apnic.net",          kRipe,               kRipe,      kRipe,      kRipe,      ""},
    {"whois.afrinic.net",        kRipe,               kRipe,      kRipe,      kRipe,      ""},
    {"whois.punktum.dk",         "--show-handles %s", "",         "",         "",         ""},
    {"whois.dk-hostmaster.dk",   "--show-handles %s", "",         "",         "",         ""},
    {"whois.nic.name",           "domain=%s",         "",         "",         "",         ""},
    {"whois.iana.org",           "",                  "",         "",         "",         ""},
};

using schema::EqualsIgnoreCase;

const ServerFormat* FindFormat(std::string_view host) {
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);
  for (const ServerFormat& f : kFormats) {
    if (EqualsIgnoreCase(f.host, host)) return &f;
  }
  return nullptr;
}

std::string_view TemplateFor(const ServerFormat& f, const Query& q) {
  switch (q.type) {
    case QueryType::kDomain:
      return f.domain;
    case QueryType::kIp:
      return q.normalized.find('/') == std::string::npos ? f.ip : f.cidr;
    case QueryType::kAs:
      return f.as;
    case QueryType::kTld:
      return f.tld;
  }
  return {};
}

std::string Expand(std::string_view tmpl, const Query& q) {
  std::string_view number = q.normalized;
  if (q.type == QueryType::kAs && number.size() > 2) number.remove_prefix(2);  // "AS"
  std::string out;
  for (size_t i = 0; i < tmpl.size(); ++i) {
    if (tmpl[i] == '%' && i + 1 < tmpl.size() && (tmpl[i + 1] == 's' || tmpl[i + 1] == 'n')) {
      out += tmpl[i + 1] == 's' ? q.normalized : std::string(number);
      ++i;
    } else {
      out += tmpl[i];
    }
  }
  return out;
}

// What Normalize() guarantees: printable ASCII, no space.
bool IsSafeQuery(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7F) return false;
  }
  return true;
}

}  // namespace

std::string FormatQuery(std::string_view whois_host, const Query& q) {
  if (!IsSafeQuery(q.normalized)) {
    assert(false && "FormatQuery: Query not produced by Normalize()");
    return "";
  }
  std::string_view tmpl;
  if (const ServerFormat* f = FindFormat(whois_host)) {
    tmpl = TemplateFor(*f, q);
  } else if (q.type == QueryType::kDomain) {
    tmpl = internal::DomainTemplateForHost(whois_host);
  }
  if (tmpl.empty()) return q.normalized;
  std::string line = Expand(tmpl, q);
  for (char c : line) {  // templates are ours, but the line goes on the wire: check it
    unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) {
      assert(false && "FormatQuery: control byte in a template");
      return "";
    }
  }
  return line;
}

}  // namespace whoisq::resolve
