#include "resolve/rdap_bootstrap.h"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "resolve/query.h"

namespace whoisq::resolve {
namespace internal {
extern const std::string_view kRdapDnsJson;
extern const std::string_view kRdapIpv4Json;
extern const std::string_view kRdapIpv6Json;
extern const std::string_view kRdapAsnJson;
extern const std::string_view kRdapExtraTsv;
}  // namespace internal

namespace {

// Expected values below were read by hand from resolve/data/rdap-*.json
// (IANA files of the publications asserted in Publications) and rdap-extra.tsv.
constexpr std::string_view kVerisignCom = "https://rdap.verisign.com/com/v1/";
constexpr std::string_view kArin = "https://rdap.arin.net/registry/";
constexpr std::string_view kApnic = "https://rdap.apnic.net/";
constexpr std::string_view kRipe = "https://rdap.db.ripe.net/";
constexpr std::string_view kAfrinic = "https://rdap.afrinic.net/rdap/";
constexpr std::string_view kLacnic = "https://rdap.lacnic.net/rdap/";

std::string ReadFile(const std::string& name) {
  std::ifstream in(std::string(WHOISQ_RESOLVE_DATA_DIR) + "/" + name, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Query Q(std::string_view input) {
  auto q = Normalize(input);
  EXPECT_TRUE(q.ok()) << input << ": " << q.status().ToString();
  return q.ok() ? *q : Query{};
}

std::string Base(const RdapBootstrap& b, std::string_view input) {
  return b.BaseUrl(Q(input)).value_or("<none>");
}

std::string Url(const RdapBootstrap& b, std::string_view input) {
  return b.QueryUrl(Q(input)).value_or("<none>");
}

// A minimal RFC 9224 file.
std::string File(std::string_view publication, std::string_view services) {
  return R"({"version":"1.0","publication":")" + std::string(publication) +
         R"(","description":"test","services":)" + std::string(services) + "}";
}

TEST(RdapBootstrap, RegistryFiles) {
  EXPECT_STREQ(RdapRegistryFile(RdapRegistry::kDns), "dns.json");
  EXPECT_STREQ(RdapRegistryFile(RdapRegistry::kIpv4), "ipv4.json");
  EXPECT_STREQ(RdapRegistryFile(RdapRegistry::kIpv6), "ipv6.json");
  EXPECT_STREQ(RdapRegistryFile(RdapRegistry::kAsn), "asn.json");
}

TEST(RdapBootstrap, EmbeddedBytesAreTheDataFiles) {
  EXPECT_EQ(internal::kRdapDnsJson, ReadFile("rdap-dns.json"));
  EXPECT_EQ(internal::kRdapIpv4Json, ReadFile("rdap-ipv4.json"));
  EXPECT_EQ(internal::kRdapIpv6Json, ReadFile("rdap-ipv6.json"));
  EXPECT_EQ(internal::kRdapAsnJson, ReadFile("rdap-asn.json"));
  EXPECT_EQ(internal::kRdapExtraTsv, ReadFile("rdap-extra.tsv"));
}

TEST(RdapBootstrap, Publications) {
  const RdapBootstrap b = RdapBootstrap::Builtin();
  EXPECT_EQ(b.Publication(RdapRegistry::kDns), "2026-03-23T19:00:02Z");
  EXPECT_EQ(b.Publication(RdapRegistry::kIpv4), "2019-06-07T19:00:02Z");
  EXPECT_EQ(b.Publication(RdapRegistry::kIpv6), "2024-11-01T22:00:01Z");
  EXPECT_EQ(b.Publication(RdapRegistry::kAsn), "2026-03-14T14:00:01Z");
  // 1,198 TLDs in dns.json (shared/data/README.md) + 19 extra rows, none of them in dns.json.
  EXPECT_EQ(b.DnsEntries(), 1198u + 19u);
}

TEST(RdapBootstrap, DomainsKnownAnswers) {
  const RdapBootstrap b = RdapBootstrap::Builtin();
  struct Case {
    std::string_view input, base;
  };
  static const Case kCases[] = {
      {"example.com", kVerisignCom},
      {"https://www.Example.COM/path", kVerisignCom},
      {"example.net", "https://rdap.verisign.com/net/v1/"},
      {"example.org", "https://rdap.publicinterestregistry.org/rdap/"},
      {"example.app", "https://pubapi.registry.google/rdap/"},  // new gTLD
      {"example.google", "https://pubapi.registry.google/rdap/"},
      {"example.fr", "https://rdap.nic.fr/"},                   // ccTLD in IANA
      {"example.br", "https://rdap.registro.br/"},
      {"example.tw", "https://ccrdap.twnic.tw/tw/"},
      {"example.xn--kpry57d", "https://ccrdap.twnic.tw/taiwan/"},  // IDN ccTLD 台灣
      {"example.kg", "http://rdap.cctld.kg/"},                  // http only in IANA's file
      {"example.gov", "https://rdap.nic.gov/rdap/"},
      {"bücher.de", "https://rdap.denic.de/"},                  // extra table
      {"example.ch", "https://rdap.nic.ch/"},
      {"example.li", "https://rdap.nic.li/"},
      {"example.io", "https://rdap.identitydigital.services/rdap/"},
      {"example.co", "https://rdap.registry.co/co/"},
      {"example.us", "https://rdap.nic.us/"},
      {"example.my", "https://rdap.mynic.my/rdap/"},
      {"example.bh", "https://rdap.centralnic.com/bh/"},
      {"example.co.uk", "https://rdap.nominet.uk/uk/"},         // longest match: no co.uk entry
      {"user.github.io", "https://rdap.identitydigital.services/rdap/"},
      {"br.com", kVerisignCom},                                 // the .com domain br.com
      // TLDs: BaseUrl names the TLD's own registry server.
      {"com", kVerisignCom},
      {".uk", "https://rdap.nominet.uk/uk/"},
      {"co.uk", "https://rdap.nominet.uk/uk/"},
      {"de", "https://rdap.denic.de/"},
  };
  for (const Case& c : kCases) EXPECT_EQ(Base(b, c.input), c.base) << c.input;
}

TEST(RdapBootstrap, DomainsWithoutServer) {
  const RdapBootstrap b = RdapBootstrap::Builtin();
  // No RDAP server in IANA's file or the extra table.
  for (std::string_view input : {"example.er", "example.jp", "example.ru", "example.cn", "example.edu",
                                 "example.xn--p1ai", "printer.internal", "localhost", "er"}) {
    EXPECT_FALSE(b.BaseUrl(Q(input)).has_value()) << input;
    EXPECT_FALSE(b.QueryUrl(Q(input)).has_value()) << input;
  }
  // Names inside a special registry zone (own registry, own WHOIS server):
  // the parent TLD's RDAP server does not hold them.
  for (std::string_view input : {"example.br.com", "example.uk.com", "example.eu.org", "example.ac.uk",
                                 "example.gov.uk", "example.za.net"}) {
    EXPECT_FALSE(b.BaseUrl(Q(input)).has_value()) << input;
  }
  // A "none" zone (a single organisation's name inside .uk) stays with Nominet.
  EXPECT_EQ(Base(b, "www.bl.uk"), "https://rdap.nominet.uk/uk/");
}

TEST(RdapBootstrap, EveryIanaEntry) {
  const RdapBootstrap b = RdapBootstrap::Builtin();
  const nlohmann::json doc = nlohmann::json::parse(ReadFile("rdap-dns.json"));
  size_t entries = 0;
  for (const auto& service : doc["services"]) {
    std::string expected;
    for (const auto& url : service[1]) {
      const std::string u = url.get<std::string>();
      if (expected.empty() || (!expected.starts_with("https:") && u.starts_with("https:"))) expected = u;
    }
    for (const auto& label : service[0]) {
      Query q;
      q.type = QueryType::kTld;
      q.normalized = q.suffix = label.get<std::string>();
      EXPECT_EQ(b.BaseUrl(q).value_or("<none>"), expected) << q.normalized;
      ++entries;
    }
  }
  EXPECT_EQ(entries, 1198u);
}

TEST(RdapBootstrap, EveryExtraRowAndIanaWins) {
  const RdapBootstrap b = RdapBootstrap::Builtin();
  const nlohmann::json doc = nlohmann::json::parse(ReadFile("rdap-dns.json"));
  std::set<std::string> iana;
  for (const auto& service : doc["services"]) {
    for (const auto& label : service[0]) iana.insert(label.get<std::string>());
  }
  std::istringstream tsv(ReadFile("rdap-extra.tsv"));
  std::string line;
  size_t rows = 0;
  bool header = false;
  while (std::getline(tsv, line)) {
    if (line.empty() || line[0] == '#') continue;
    if (!header) {
      header = true;
      continue;
    }
    const size_t tab = line.find('\t');
    ASSERT_NE(tab, std::string::npos) << line;
    Query q;
    q.type = QueryType::kTld;
    q.normalized = q.suffix = line.substr(0, tab);
    EXPECT_EQ(iana.count(q.normalized), 0u) << q.normalized << " is in IANA's file";
    EXPECT_EQ(b.BaseUrl(q).value_or("<none>"), line.substr(tab + 1)) << q.normalized;
    ++rows;
  }
  EXPECT_EQ(rows, 19u);

  // A refreshed dns.json that lists .de wins over the extra row; one that
  // does not list .ch leaves the extra row in place.
  RdapBootstrap refreshed = RdapBootstrap::Builtin();
  ASSERT_TRUE(refreshed
                  .Load(RdapRegistry::kDns,
                        File("2026-04-01T00:00:00Z", R"([[["de"],["https://rdap.example.test/de/"]]])"))
                  .ok());
  EXPECT_EQ(Base(refreshed, "example.de"), "https://rdap.example.test/de/");
  EXPECT_EQ(Base(refreshed, "example.ch"), "https://rdap.nic.ch/");
  EXPECT_EQ(Base(refreshed, "example.com"), "<none>");  // not in the new file
  EXPECT_EQ(refreshed.DnsEntries(), 1u + 19u - 1u);
}

TEST(RdapBootstrap, Ipv4KnownAnswers) {
  const RdapBootstrap b = RdapBootstrap::Builtin();
  EXPECT_EQ(Base(b, "1.1.1.1"), kApnic);
  EXPECT_EQ(Base(b, "8.8.8.8"), kArin);  // https and http listed: https
  EXPECT_EQ(Base(b, "193.0.0.1"), kRipe);
  EXPECT_EQ(Base(b, "41.0.0.1"), kAfrinic);  // https and http listed: https
  EXPECT_EQ(Base(b, "200.160.2.3"), kLacnic);
  EXPECT_EQ(Base(b, "http://8.8.8.8:53/"), kArin);
  EXPECT_EQ(Base(b, "::ffff:193.0.0.1"), kRipe);  // Normalize makes it IPv4
  // CIDR: the registry prefix must contain the whole network.
  EXPECT_EQ(Base(b, "41.0.0.0/8"), kAfrinic);
  EXPECT_EQ(Base(b, "41.1.2.0/24"), kAfrinic);
  EXPECT_EQ(Base(b, "41.0.0.0/7"), "<none>");
  EXPECT_EQ(Base(b, "0.0.0.0/0"), "<none>");
  // Not allocated to an RIR in ipv4.json.
  for (std::string_view input : {"10.0.0.1", "127.0.0.1", "224.0.0.1", "0.0.0.0", "255.255.255.255"}) {
    EXPECT_EQ(Base(b, input), "<none>") << input;
  }
}

TEST(RdapBootstrap, Ipv6KnownAnswers) {
  const RdapBootstrap b = RdapBootstrap::Builtin();
  EXPECT_EQ(Base(b, "2001:4860:4860::8888"), kArin);  // 2001:4800::/23
  EXPECT_EQ(Base(b, "2a00:1450:4001::1"), kRipe);     // 2a00::/12
  EXPECT_EQ(Base(b, "2c0f:fb50::1"), kAfrinic);       // 2c00::/12
  EXPECT_EQ(Base(b, "2800:3f0::1"), kLacnic);         // 2800::/12
  EXPECT_EQ(Base(b, "[2400:CB00::1]"), kApnic);       // 2400::/12
  EXPECT_EQ(Base(b, "2001:1400::1"), kRipe);          // 2001:1400::/22
  EXPECT_EQ(Base(b, "2001:67c:2e8::/48"), kRipe);     // inside 2001:600::/23
  EXPECT_EQ(Base(b, "2001:4200::/23"), kAfrinic);     // exactly an entry
  EXPECT_EQ(Base(b, "2001:4200::/22"), "<none>");     // wider than the entry
  EXPECT_EQ(Base(b, "2001::/16"), "<none>");
  EXPECT_EQ(Base(b, "::1"), "<none>");
  EXPECT_EQ(Base(b, "fe80::1"), "<none>");
}

TEST(RdapBootstrap, AsnKnownAnswers) {
  const RdapBootstrap b = RdapBootstrap::Builtin();
  EXPECT_EQ(Base(b, "AS13335"), kArin);    // 13312-15359
  EXPECT_EQ(Base(b, "as15169"), kArin);
  EXPECT_EQ(Base(b, "AS3333"), kRipe);     // 3154-3353
  EXPECT_EQ(Base(b, "AS2043"), kRipe);     // a single number, not a range
  EXPECT_EQ(Base(b, "AS1"), kArin);        // 1-1876: first of a range
  EXPECT_EQ(Base(b, "AS36864"), kAfrinic); // 36864-37887
  EXPECT_EQ(Base(b, "AS262144"), kLacnic); // 262144-263167
  EXPECT_EQ(Base(b, "AS4.0"), kLacnic);    // asdot of 262144
  for (std::string_view input : {"AS0", "AS23456", "AS64512", "AS65535", "AS4200000000", "AS4294967295"}) {
    EXPECT_EQ(Base(b, input), "<none>") << input;
  }
}

TEST(RdapBootstrap, QueryUrls) {
  const RdapBootstrap b = RdapBootstrap::Builtin();
  EXPECT_EQ(Url(b, "https://www.example.com/x"), "https://rdap.verisign.com/com/v1/domain/example.com");
  EXPECT_EQ(Url(b, "bücher.de"), "https://rdap.denic.de/domain/xn--bcher-kva.de");
  EXPECT_EQ(Url(b, "example.co.uk"), "https://rdap.nominet.uk/uk/domain/example.co.uk");
  EXPECT_EQ(Url(b, "8.8.8.8"), "https://rdap.arin.net/registry/ip/8.8.8.8");
  EXPECT_EQ(Url(b, "41.1.2.3/16"), "https://rdap.afrinic.net/rdap/ip/41.1.0.0/16");
  EXPECT_EQ(Url(b, "193.0.0.1/32"), "https://rdap.db.ripe.net/ip/193.0.0.1/32");
  EXPECT_EQ(Url(b, "2001:4860:4860::8888"), "https://rdap.arin.net/registry/ip/2001:4860:4860::8888");
  EXPECT_EQ(Url(b, "2001:67c:2e8::/48"), "https://rdap.db.ripe.net/ip/2001:67c:2e8::/48");
  EXPECT_EQ(Url(b, "AS13335"), "https://rdap.arin.net/registry/autnum/13335");
  EXPECT_EQ(Url(b, "AS3333"), "https://rdap.db.ripe.net/autnum/3333");
  // kTld: a base URL exists, but TLD objects are IANA's (out of scope).
  EXPECT_TRUE(b.BaseUrl(Q("com")).has_value());
  EXPECT_EQ(Url(b, "com"), "<none>");
  EXPECT_EQ(Url(b, "example.br.com"), "<none>");
  EXPECT_EQ(Url(b, "10.0.0.1"), "<none>");

  // Hand-built queries Normalize cannot produce get nothing, never a bad URL.
  Query bad_ip;
  bad_ip.type = QueryType::kIp;
  bad_ip.normalized = "8.8.8.8\r\nHost: evil";
  EXPECT_FALSE(b.QueryUrl(bad_ip).has_value());
  Query bad_as;
  bad_as.type = QueryType::kAs;
  bad_as.normalized = "AS";
  EXPECT_FALSE(b.QueryUrl(bad_as).has_value());
  bad_as.normalized = "AS99999999999";
  EXPECT_FALSE(b.QueryUrl(bad_as).has_value());
  // A hand-built domain still has its path segment percent-encoded.
  Query odd;
  odd.type = QueryType::kDomain;
  odd.normalized = "a/b?c.com";
  odd.suffix = "com";
  EXPECT_EQ(b.QueryUrl(odd).value_or("<none>"), "https://rdap.verisign.com/com/v1/domain/a%2Fb%3Fc.com");
}

TEST(RdapBootstrap, LoadNewerChangesTheAnswerAndCopiesKeepTheirs) {
  RdapBootstrap b = RdapBootstrap::Builtin();
  const RdapBootstrap before = b;
  ASSERT_TRUE(b.Load(RdapRegistry::kDns, File("2026-03-23T19:00:02.5Z", R"([
      [["com", "net"], ["http://rdap.example.test/a/", "https://rdap.example.test/a/"]],
      [["uk"], ["https://rdap.example.test/uk/"]],
      [["co.uk"], ["https://rdap.example.test/co.uk/"]],
      [["br.com"], ["https://rdap.example.test/br.com/"]]])"))
                  .ok());
  EXPECT_EQ(b.Publication(RdapRegistry::kDns), "2026-03-23T19:00:02.5Z");
  EXPECT_EQ(Base(b, "example.com"), "https://rdap.example.test/a/");  // https preferred over http
  EXPECT_EQ(Base(b, "example.co.uk"), "https://rdap.example.test/co.uk/");  // longest match
  EXPECT_EQ(Base(b, "a.b.example.co.uk"), "https://rdap.example.test/co.uk/");
  EXPECT_EQ(Base(b, "example.org.uk"), "https://rdap.example.test/uk/");
  EXPECT_EQ(Base(b, "example.uk"), "https://rdap.example.test/uk/");
  EXPECT_EQ(Base(b, "example.br.com"), "https://rdap.example.test/br.com/");  // the zone is listed
  EXPECT_EQ(Base(b, "example.fr"), "<none>");
  EXPECT_EQ(Base(b, "example.de"), "https://rdap.denic.de/");  // extra table merged again
  // The copy taken before the Load is unchanged.
  EXPECT_EQ(Base(before, "example.com"), kVerisignCom);
  EXPECT_EQ(before.Publication(RdapRegistry::kDns), "2026-03-23T19:00:02Z");
  EXPECT_EQ(Base(RdapBootstrap::Builtin(), "example.com"), kVerisignCom);

  ASSERT_TRUE(b.Load(RdapRegistry::kIpv4,
                     File("2026-01-01T00:00:00Z", R"([[["8.0.0.0/8"], ["https://rdap.example.test/v4/"]],
                                                      [["8.8.8.0/24"], ["https://rdap.example.test/google/"]]])"))
                  .ok());
  EXPECT_EQ(Base(b, "8.8.8.8"), "https://rdap.example.test/google/");  // longest prefix
  EXPECT_EQ(Base(b, "8.8.4.4"), "https://rdap.example.test/v4/");
  EXPECT_EQ(Base(b, "8.8.0.0/16"), "https://rdap.example.test/v4/");
  EXPECT_EQ(Base(b, "1.1.1.1"), "<none>");

  ASSERT_TRUE(b.Load(RdapRegistry::kIpv6, File("2025-01-01T00:00:00+01:00",
                                                R"([[["2000::/3"], ["https://rdap.example.test/v6/"]],
                                                    [["2001:db8::/32"], ["https://rdap.example.test/doc/"]]])"))
                  .ok());
  EXPECT_EQ(Base(b, "2001:db8::1"), "https://rdap.example.test/doc/");
  EXPECT_EQ(Base(b, "2a00::1"), "https://rdap.example.test/v6/");
  EXPECT_EQ(Base(b, "fe80::1"), "<none>");

  ASSERT_TRUE(b.Load(RdapRegistry::kAsn, File("2026-03-14T14:00:01Z",  // same publication: accepted
                                              R"([[["1-10", "64512-65534"], ["https://rdap.example.test/as/"]],
                                                  [["4294967295"], ["https://rdap.example.test/max/"]]])"))
                  .ok());
  EXPECT_EQ(Base(b, "AS64512"), "https://rdap.example.test/as/");
  EXPECT_EQ(Base(b, "AS65534"), "https://rdap.example.test/as/");
  EXPECT_EQ(Base(b, "AS65535"), "<none>");
  EXPECT_EQ(Base(b, "AS4294967295"), "https://rdap.example.test/max/");
  EXPECT_EQ(Base(b, "AS13335"), "<none>");
}

TEST(RdapBootstrap, LoadTheShippedFilesAgain) {
  RdapBootstrap b = RdapBootstrap::Builtin();
  EXPECT_TRUE(b.Load(RdapRegistry::kDns, ReadFile("rdap-dns.json")).ok());
  EXPECT_TRUE(b.Load(RdapRegistry::kIpv4, ReadFile("rdap-ipv4.json")).ok());
  EXPECT_TRUE(b.Load(RdapRegistry::kIpv6, ReadFile("rdap-ipv6.json")).ok());
  EXPECT_TRUE(b.Load(RdapRegistry::kAsn, ReadFile("rdap-asn.json")).ok());
  EXPECT_EQ(b.DnsEntries(), 1198u + 19u);
  EXPECT_EQ(Base(b, "example.com"), kVerisignCom);
  // A registry's file in another registry's slot is refused.
  auto wrong = b.Load(RdapRegistry::kIpv4, ReadFile("rdap-ipv6.json"));
  EXPECT_EQ(wrong.code(), schema::ErrorCode::kMalformed);
  EXPECT_NE(wrong.message().find("ipv4.json"), std::string::npos) << wrong.message();
}

TEST(RdapBootstrap, LoadRefusesMalformedFilesAndChangesNothing) {
  struct Case {
    RdapRegistry registry;
    std::string json;
    std::string_view message;  // a piece of the expected message
  };
  const std::string newer = "2027-01-01T00:00:00Z";
  const std::string ok_url = R"(["https://rdap.example.test/"])";
  const auto dns = [&](std::string_view entry) {
    return File(newer, R"([[[")" + std::string(entry) + R"("], )" + ok_url + "]]");
  };
  const auto dns_url = [&](std::string_view url) {
    return File(newer, R"([[["com"], [")" + std::string(url) + R"("]]])");
  };
  const std::vector<Case> kCases = {
      {RdapRegistry::kDns, "", "not valid JSON"},
      {RdapRegistry::kDns, "{\"version\":", "not valid JSON"},
      {RdapRegistry::kDns, std::string(1000000, '['), "not valid JSON"},
      {RdapRegistry::kDns, "[]", "not a JSON object"},
      {RdapRegistry::kDns, R"({"publication":"2027-01-01T00:00:00Z","services":[]})", "version"},
      {RdapRegistry::kDns, R"({"version":"2.0","publication":"2027-01-01T00:00:00Z","services":[]})", "version"},
      {RdapRegistry::kDns, R"({"version":1.0,"publication":"2027-01-01T00:00:00Z","services":[]})", "version"},
      {RdapRegistry::kDns, R"({"version":"1.0","services":[]})", "publication"},
      {RdapRegistry::kDns, File("yesterday", "[]"), "RFC 3339"},
      {RdapRegistry::kDns, File("2027-02-30T00:00:00Z", "[]"), "RFC 3339"},
      {RdapRegistry::kDns, File("2027-01-01T24:00:00Z", "[]"), "RFC 3339"},
      {RdapRegistry::kDns, File("2027-01-01T00:00:00", "[]"), "RFC 3339"},
      {RdapRegistry::kDns, File("2027-01-01", "[]"), "RFC 3339"},
      {RdapRegistry::kDns, R"({"version":"1.0","publication":"2027-01-01T00:00:00Z","services":{}})", "services"},
      {RdapRegistry::kDns, R"({"version":"1.0","publication":"2027-01-01T00:00:00Z","description":7,"services":[]})",
       "description"},
      {RdapRegistry::kDns, File(newer, R"([[["com"]]])"), "services[0] is not"},
      {RdapRegistry::kDns, File(newer, R"([[["com"], [], []]])"), "services[0] is not"},
      {RdapRegistry::kDns, File(newer, R"([["com", ["https://rdap.example.test/"]]])"), "services[0] is not"},
      {RdapRegistry::kDns, File(newer, R"([[[], ["https://rdap.example.test/"]]])"), "no entries"},
      {RdapRegistry::kDns, File(newer, R"([[["com"], []]])"), "no base URLs"},
      {RdapRegistry::kDns, File(newer, R"([[[7], ["https://rdap.example.test/"]]])"), "services[0][0][0]"},
      {RdapRegistry::kDns, File(newer, R"([[["com"], [7]]])"), "services[0][1][0]"},
      {RdapRegistry::kDns, dns("COM"), "lower-case"},
      {RdapRegistry::kDns, dns(""), "empty"},
      {RdapRegistry::kDns, dns("a..b"), "empty label"},
      {RdapRegistry::kDns, dns(".com"), "empty label"},
      {RdapRegistry::kDns, dns("-com"), "'-'"},
      {RdapRegistry::kDns, dns("c_m"), "lower-case"},
      {RdapRegistry::kDns, dns(std::string(64, 'a')), "63"},
      {RdapRegistry::kDns,
       File(newer, R"([[["com"], ["https://a.test/"]], [["net", "com"], ["https://b.test/"]]])"),
       "services[1][0][1] \"com\": listed twice"},
      {RdapRegistry::kDns, dns_url("ftp://rdap.example.test/"), "http or https"},
      {RdapRegistry::kDns, dns_url("rdap.example.test/"), "services[0][1][0]"},
      {RdapRegistry::kDns, dns_url("https://rdap.example.test"), "must end in '/'"},
      {RdapRegistry::kDns, dns_url("https://rdap.example.test/v1"), "must end in '/'"},
      {RdapRegistry::kDns, dns_url("https://rdap.example.test/?x=/"), "must end in '/'"},
      {RdapRegistry::kDns, dns_url("https://rdap.example.test/#/"), "must end in '/'"},
      {RdapRegistry::kDns, dns_url("https://user@rdap.example.test/"), "userinfo"},
      {RdapRegistry::kDns, dns_url("https://rdap.example.test/a b/"), "space"},
      {RdapRegistry::kDns, dns_url("https://rdap.example.test/\\r\\n/"), "CR"},
      {RdapRegistry::kDns, dns_url("https://rdap.example.test:0/"), "port"},
      {RdapRegistry::kDns, File("2026-03-23T19:00:01Z", R"([[["com"], ["https://a.test/"]]])"), "older"},
      // 20:00:02+02:00 is 18:00:02Z: older than 19:00:02Z despite the larger digits.
      {RdapRegistry::kDns, File("2026-03-23T20:00:02+02:00", R"([[["com"], ["https://a.test/"]]])"), "older"},
      {RdapRegistry::kIpv4, File(newer, R"([[["1.2.3.0/8"], ["https://a.test/"]]])"), "host bits"},
      {RdapRegistry::kIpv4, File(newer, R"([[["1.0.0.0"], ["https://a.test/"]]])"), "CIDR"},
      {RdapRegistry::kIpv4, File(newer, R"([[["1.0.0.0/33"], ["https://a.test/"]]])"), "CIDR"},
      {RdapRegistry::kIpv4, File(newer, R"([[["1.0.0.0/"], ["https://a.test/"]]])"), "CIDR"},
      {RdapRegistry::kIpv4, File(newer, R"([[["01.0.0.0/8"], ["https://a.test/"]]])"), "invalid IPv4"},
      {RdapRegistry::kIpv4, File(newer, R"([[["2001::/16"], ["https://a.test/"]]])"), "invalid IPv4"},
      {RdapRegistry::kIpv4, File(newer, R"([[["1.0.0.0/8"], ["https://a.test/"]], [["1.0.0.0/8"], ["https://b.test/"]]])"),
       "listed twice"},
      {RdapRegistry::kIpv4, File("2019-06-07T19:00:01Z", R"([[["1.0.0.0/8"], ["https://a.test/"]]])"), "older"},
      {RdapRegistry::kIpv6, File(newer, R"([[["2001:db8::1/32"], ["https://a.test/"]]])"), "host bits"},
      {RdapRegistry::kIpv6, File(newer, R"([[["2001:db8::/129"], ["https://a.test/"]]])"), "CIDR"},
      {RdapRegistry::kIpv6, File(newer, R"([[["1.0.0.0/8"], ["https://a.test/"]]])"), "invalid IPv6"},
      {RdapRegistry::kIpv6, File(newer, R"([[["fe80::%eth0/64"], ["https://a.test/"]]])"), "invalid IPv6"},
      {RdapRegistry::kAsn, File(newer, R"([[["5-3"], ["https://a.test/"]]])"), "AS number"},
      {RdapRegistry::kAsn, File(newer, R"([[["AS5"], ["https://a.test/"]]])"), "AS number"},
      {RdapRegistry::kAsn, File(newer, R"([[["1-"], ["https://a.test/"]]])"), "AS number"},
      {RdapRegistry::kAsn, File(newer, R"([[["-1"], ["https://a.test/"]]])"), "AS number"},
      {RdapRegistry::kAsn, File(newer, R"([[["4294967296"], ["https://a.test/"]]])"), "AS number"},
      {RdapRegistry::kAsn, File(newer, R"([[["1-10", "10-20"], ["https://a.test/"]]])"), "overlap"},
      {RdapRegistry::kAsn, File(newer, R"([[["1-10"], ["https://a.test/"]], [["5"], ["https://b.test/"]]])"),
       "overlap"},
  };
  RdapBootstrap b = RdapBootstrap::Builtin();
  for (const Case& c : kCases) {
    const std::string before = b.Publication(c.registry);
    schema::Status status = b.Load(c.registry, c.json);
    const std::string shown = c.json.substr(0, 200);
    EXPECT_EQ(status.code(), schema::ErrorCode::kMalformed) << shown;
    EXPECT_NE(status.message().find(c.message), std::string::npos)
        << shown << "\n  message: " << status.message() << "\n  expected: " << c.message;
    EXPECT_NE(status.message().find(RdapRegistryFile(c.registry)), std::string::npos) << status.message();
    EXPECT_EQ(b.Publication(c.registry), before) << shown;
  }
  // Nothing changed anywhere.
  EXPECT_EQ(b.DnsEntries(), 1198u + 19u);
  EXPECT_EQ(Base(b, "example.com"), kVerisignCom);
  EXPECT_EQ(Base(b, "1.1.1.1"), kApnic);
  EXPECT_EQ(Base(b, "2a00::1"), kRipe);
  EXPECT_EQ(Base(b, "AS13335"), kArin);
}

}  // namespace
}  // namespace whoisq::resolve
