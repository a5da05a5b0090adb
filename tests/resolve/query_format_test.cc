#include "resolve/query_format.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "resolve/server_table.h"

namespace whoisq::resolve {
namespace {

Query Q(const std::string& input) {
  auto r = Normalize(input);
  EXPECT_TRUE(r.ok()) << input << ": " << r.status().ToString();
  return r.ok() ? r.value() : Query{};
}

struct Case {
  std::string host;
  std::string input;
  std::string expected;
};

TEST(FormatQuery, PerServerTemplates) {
  const std::vector<Case> cases = {
      {"whois.verisign-grs.com", "www.Example.com", "domain example.com"},
      {"WHOIS.VERISIGN-GRS.COM", "example.net", "domain example.net"},
      {"ccwhois.verisign-grs.com", "example.cc", "domain example.cc"},
      {"whois.verisign-grs.com", "com", "com"},
      {"whois.denic.de", "b\xC3\xBC" "cher.de", "-T dn,ace xn--bcher-kva.de"},
      {"whois.jprs.jp", "\xE4\xBE\x8B\xE3\x81\x88.jp", "xn--r8jz45g.jp/e"},
      {"whois.arin.net", "8.8.8.8", "n + 8.8.8.8"},
      {"whois.arin.net", "2001:4860::8888", "n + 2001:4860::8888"},
      {"whois.arin.net", "8.8.8.0/24", "r + = 8.8.8.0/24"},
      {"whois.arin.net", "AS15169", "a 15169"},
      {"whois.arin.net", "15169", "a 15169"},
      {"whois.ripe.net", "193.0.6.139", "-V whoisq -r 193.0.6.139"},
      {"whois.ripe.net", "AS3333", "-V whoisq -r AS3333"},
      {"whois.ripe.net", "193.0.0.0/21", "-V whoisq -r 193.0.0.0/21"},
      {"whois.apnic.net", "1.1.1.1", "-V whoisq -r 1.1.1.1"},
      {"whois.afrinic.net", "AS37100", "-V whoisq -r AS37100"},
      {"whois.nic.ad.jp", "AS2497", "AS 2497/e"},
      {"whois.nic.ad.jp", "202.12.30.0", "202.12.30.0/e"},
      {"whois.punktum.dk", "example.dk", "--show-handles example.dk"},
      {"whois.dk-hostmaster.dk", "example.dk", "--show-handles example.dk"},
      {"whois.nic.name", "john.smith.name", "domain=smith.name"},
      {"whois.iana.org", "com", "com"},
      {"whois.iana.org", ".UK", "uk"},
      {"whois.iana.org", "8.8.8.8", "8.8.8.8"},
      {"whois.iana.org", "AS15169", "AS15169"},
      {"whois.nic.uk", "https://www.example.co.uk/", "example.co.uk"},
      {"whois.lacnic.net", "200.3.14.10", "200.3.14.10"},
      {"whois.example-unknown.net", "example.com", "example.com"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(FormatQuery(c.host, Q(c.input)), c.expected) << c.host << " / " << c.input;
  }
}

TEST(FormatQuery, UsesTheServerTableTemplateForOtherHosts) {
  // Every host with a template in the table formats its domain queries with it.
  for (const char* tld : {"com", "net", "cc", "de", "dk", "jp", "name"}) {
    const TldInfo* info = FindTld(tld);
    ASSERT_NE(info, nullptr) << tld;
    ASSERT_FALSE(info->query_template.empty()) << tld;
    Query q = Q(std::string("example.") + tld);
    std::string expected = info->query_template;
    expected.replace(expected.find("%s"), 2, q.normalized);
    EXPECT_EQ(FormatQuery(info->whois_host, q), expected) << tld;
  }
}

TEST(FormatQuery, NeverContainsLineBreaksOrControlBytes) {
  const std::vector<std::string> hosts = {"whois.verisign-grs.com", "whois.denic.de", "whois.arin.net",
                                          "whois.ripe.net", "whois.iana.org", "whois.jprs.jp"};
  const std::vector<std::string> inputs = {"example.com", "b\xC3\xBC" "cher.de", "8.8.8.8",
                                           "10.0.0.0/8", "AS1", "uk", "2001:db8::/32"};
  for (const std::string& host : hosts) {
    for (const std::string& input : inputs) {
      std::string line = FormatQuery(host, Q(input));
      ASSERT_FALSE(line.empty()) << host << " / " << input;
      for (char c : line) {
        EXPECT_FALSE(static_cast<unsigned char>(c) < 0x20 || c == 0x7F) << host << " / " << input;
      }
    }
  }
}

#ifdef NDEBUG
TEST(FormatQuery, HandBuiltUnsafeQueryGivesNothing) {
  Query q;
  q.type = QueryType::kDomain;
  q.normalized = "example.com\r\nfoo";
  EXPECT_EQ(FormatQuery("whois.verisign-grs.com", q), "");
}
#endif

}  // namespace
}  // namespace whoisq::resolve
