#include "worker/referral.h"

#include <gtest/gtest.h>

namespace whoisq::worker {
namespace {

struct Case {
  const char* name;
  const char* answer;
  const char* current;
  const char* host;  // "" = no referral
  uint16_t port;
};

TEST(FindReferral, Table) {
  const Case cases[] = {
      {"iana tld object", "domain:       COM\n\nwhois:        whois.verisign-grs.com\n", "whois.iana.org",
       "whois.verisign-grs.com", 43},
      {"iana refer", "% IANA WHOIS server\nrefer:        whois.arin.net\n\ninetnum: 8.0.0.0 - 8.255.255.255\n",
       "whois.iana.org", "whois.arin.net", 43},
      {"verisign thin", "   Domain Name: EXAMPLE.COM\r\n   Registrar WHOIS Server: whois.markmonitor.com\r\n",
       "whois.verisign-grs.com", "whois.markmonitor.com", 43},
      {"registrar beats refer", "refer: whois.a.net\nRegistrar WHOIS Server: whois.b.net\n", "x.net",
       "whois.b.net", 43},
      {"arin last referral wins",
       "ReferralServer:  whois://whois.lacnic.net\nNetRange: ...\nReferralServer:  whois://whois.ripe.net:43\n",
       "whois.arin.net", "whois.ripe.net", 43},
      {"rwhois is not followed", "ReferralServer:  rwhois://rwhois.fuse.net:4321/\n", "whois.arin.net", "", 0},
      {"http url is not followed", "Registrar WHOIS Server: http://www.example-registrar.com/whois\n",
       "whois.nic.xyz", "", 0},
      {"whois url with port", "ReferralServer: whois://whois.nic.br:4343/\n", "whois.arin.net",
       "whois.nic.br", 4343},
      {"self referral", "Registrar WHOIS Server: whois.markmonitor.com\n", "WHOIS.MarkMonitor.com", "", 0},
      {"empty value", "Registrar WHOIS Server: \n", "whois.pir.org", "", 0},
      {"trailing slash and case", "Registrar WHOIS Server: Whois.GoDaddy.com/\n", "whois.pir.org",
       "whois.godaddy.com", 43},
      {"not a host", "Registrar WHOIS Server: whois godaddy com\n", "whois.pir.org", "", 0},
      {"crlf line ending", "whois: evil.example.com\r\nfoo\n", "whois.iana.org", "evil.example.com", 43},
      {"no referral", "Domain Name: EXAMPLE.ORG\nRegistrar: X\n", "whois.pir.org", "", 0},
      {"bad port", "ReferralServer: whois://whois.ripe.net:99999\n", "whois.arin.net", "", 0},
  };
  for (const Case& c : cases) {
    auto r = FindReferral(c.answer, c.current);
    if (*c.host == '\0') {
      EXPECT_FALSE(r.has_value()) << c.name << " gave " << (r ? r->host : "");
    } else {
      ASSERT_TRUE(r.has_value()) << c.name;
      EXPECT_EQ(r->host, c.host) << c.name;
      EXPECT_EQ(r->port, c.port) << c.name;
    }
  }
}

TEST(IsHostName, Forms) {
  EXPECT_TRUE(IsHostName("whois.nic.xyz"));
  EXPECT_TRUE(IsHostName("a-b.c"));
  EXPECT_FALSE(IsHostName("localhost"));
  EXPECT_FALSE(IsHostName("-a.b"));
  EXPECT_FALSE(IsHostName("a-.b"));
  EXPECT_FALSE(IsHostName("a..b"));
  EXPECT_FALSE(IsHostName("a.b\r"));
  EXPECT_FALSE(IsHostName(std::string(64, 'a') + ".com"));
  EXPECT_FALSE(IsHostName("a b.com"));
}

}  // namespace
}  // namespace whoisq::worker
