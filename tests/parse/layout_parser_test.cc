// One test group per generic layout, each fed through the public Parse() with
// no server (so no per-server row can help).
#include <gtest/gtest.h>

#include "worker/parse/parser.h"

namespace whoisq::parse {
namespace {

schema::Record ParseUnknown(std::string_view text, std::string query = "") {
  return Parse(text, ParseOptions{"", std::move(query)});
}

std::vector<std::string> Hosts(const schema::Record& r) {
  std::vector<std::string> out;
  for (const auto& [host, ip] : r.regrinfo.domain.nserver) out.push_back(host);
  return out;
}

TEST(KeyValueLayout, ReadsIcannSpec4WithContactPrefixes) {
  const char* text =
      "Domain Name: EXAMPLE.COM\n"
      "Registry Domain ID: 2336799_DOMAIN_COM-VRSN\n"
      "Updated Date: 2023-08-14T07:01:38Z\n"
      "Creation Date: 1995-08-14T04:00:00+01:00\n"
      "Registry Expiry Date: 2024-08-13T04:00:00Z\n"
      "Registrar: RESERVED-Internet Assigned Numbers Authority\n"
      "Registrar IANA ID: 376\n"
      "Registrar URL: http://res-dom.iana.org\n"
      "Domain Status: clientDeleteProhibited https://icann.org/epp#clientDeleteProhibited\n"
      "Registrant Name: REDACTED FOR PRIVACY\n"
      "Registrant Organization: Example Org\n"
      "Registrant Email: Please query the RDDS service of the Registrar of Record\n"
      "Admin Name: Jane Admin\n"
      "Admin Email: jane@example.com\n"
      "Tech Contact Name: Tom Tech\n"
      "Tech Contact Email: tom@example.com\n"
      "Name Server: A.IANA-SERVERS.NET\n"
      "Name Server: B.IANA-SERVERS.NET.\n"
      "DNSSEC: signedDelegation\n";
  schema::Record r = ParseUnknown(text);
  const schema::RegrInfo& g = r.regrinfo;
  EXPECT_EQ(g.registered, "yes");
  EXPECT_EQ(g.domain.name, "example.com");
  EXPECT_EQ(g.domain.created, "1995-08-14");
  EXPECT_EQ(g.domain.changed, "2023-08-14");
  EXPECT_EQ(g.domain.expires, "2024-08-13");
  EXPECT_EQ(g.domain.sponsor, "RESERVED-Internet Assigned Numbers Authority");
  EXPECT_EQ(g.domain.referer, "http://res-dom.iana.org");
  EXPECT_EQ(g.domain.registrar_id, "376");
  EXPECT_EQ(g.domain.dnssec, "signedDelegation");
  EXPECT_EQ(Hosts(r), (std::vector<std::string>{"a.iana-servers.net", "b.iana-servers.net"}));
  EXPECT_EQ(g.owner.name, "");
  EXPECT_EQ(g.owner.organization, "Example Org");
  EXPECT_EQ(g.owner.redacted, (std::vector<std::string>{"name", "email"}));
  EXPECT_EQ(g.admin.name, "Jane Admin");
  EXPECT_EQ(g.admin.email, "jane@example.com");
  EXPECT_EQ(g.tech.name, "Tom Tech");
  EXPECT_EQ(g.tech.email, "tom@example.com");
}

TEST(KeyValueLayout, ReadsKeysWithoutColons) {
  schema::Record r = ParseUnknown(
      "Domain-name         example.sk\n"
      "Admin-name          Maria Example\n"
      "dns_name            ns1.example.net\n"
      "Valid-date          2011-07-23\n"
      "Record created on 22-Apr-2003\n");
  EXPECT_EQ(r.regrinfo.domain.name, "example.sk");
  EXPECT_EQ(r.regrinfo.admin.name, "Maria Example");
  EXPECT_EQ(Hosts(r), (std::vector<std::string>{"ns1.example.net"}));
  EXPECT_EQ(r.regrinfo.domain.expires, "2011-07-23");
  EXPECT_EQ(r.regrinfo.domain.created, "2003-04-22");
}

TEST(KeyValueLayout, ReadsNameServerLists) {
  struct Case {
    const char* text;
    std::vector<std::string> hosts;
  };
  const Case cases[] = {
      {"Nameservers: ns1.example.net ns2.example.net\n", {"ns1.example.net", "ns2.example.net"}},
      {"nserver: ns1.example.net, ns2.example.net\n", {"ns1.example.net", "ns2.example.net"}},
      {"Name Server: ns1.example.net. not.defined.\n", {"ns1.example.net"}},
      {"nameservers:  ns1.example.pl.\n              ns2.example.pl.\n",
       {"ns1.example.pl", "ns2.example.pl"}},
      {"Name Server 1: ns1.example.nc\nName Server 2: ns2.example.nc\n",
       {"ns1.example.nc", "ns2.example.nc"}},
      {"Domain servers in listed order:\n   ns1.example.tw 192.0.2.1\n   ns2.example.tw\n",
       {"ns1.example.tw", "ns2.example.tw"}},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Hosts(ParseUnknown(c.text)), c.hosts) << "input: " << c.text;
  }
}

TEST(ObjectLayout, LinksRpslObjectsByHandle) {
  const char* text =
      "domain:       example.cz\n"
      "registrant:   EX-1\n"
      "admin-c:      EX-2\n"
      "registered:   21.07.2000 15:21:00\n"
      "changed:      18.05.2011 23:28:45\n"
      "expire:       22.07.2014\n"
      "nserver:      ns1.example.cz (192.0.2.1)\n"
      "\n"
      "contact:      EX-1\n"
      "org:          Example Inc.\n"
      "name:         Jane Holder\n"
      "address:      1 Main St\n"
      "e-mail:       jane@example.cz\n"
      "created:      18.05.2011 23:28:26\n"
      "\n"
      "person:       Adam Admin\n"
      "nic-hdl:      EX-2\n"
      "e-mail:       adam@example.cz\n"
      "changed:      01.01.2020\n";
  schema::Record r = ParseUnknown(text);
  const schema::RegrInfo& g = r.regrinfo;
  EXPECT_EQ(g.registered, "yes");
  EXPECT_EQ(g.domain.created, "2000-07-21");
  EXPECT_EQ(g.domain.changed, "2011-05-18");  // the person's "changed" is not the domain's
  EXPECT_EQ(g.domain.expires, "2014-07-22");
  EXPECT_EQ(g.domain.nserver.at("ns1.example.cz"), "192.0.2.1");
  EXPECT_EQ(g.owner.name, "Jane Holder");
  EXPECT_EQ(g.owner.organization, "Example Inc.");
  EXPECT_EQ(g.owner.email, "jane@example.cz");
  EXPECT_EQ(g.owner.address.street, (std::vector<std::string>{"1 Main St"}));
  EXPECT_EQ(g.admin.name, "Adam Admin");
  EXPECT_EQ(g.admin.handle, "EX-2");
  EXPECT_EQ(g.admin.email, "adam@example.cz");
}

TEST(ObjectLayout, ReadsDenicBracketSections) {
  schema::Record r = ParseUnknown(
      "Domain: example.de\nNserver: ns1.example.de\nStatus: connect\n"
      "Changed: 2011-03-30T19:36:27+02:00\n\n"
      "[Tech-C]\nType: PERSON\nName: Tech Person\nOrganisation: Example GmbH\n"
      "Email: tech@example.de\n\n[Zone-C]\nName: Zone Person\n");
  EXPECT_EQ(r.regrinfo.domain.changed, "2011-03-30");
  EXPECT_EQ(r.regrinfo.domain.status, (std::vector<std::string>{"connect"}));
  EXPECT_EQ(r.regrinfo.tech.name, "Tech Person");
  EXPECT_EQ(r.regrinfo.tech.organization, "Example GmbH");
  EXPECT_EQ(r.regrinfo.zone.name, "Zone Person");
}

TEST(HeaderBlockLayout, ReadsUnlabeledBlocks) {
  const char* text =
      "Domain name:\nexample.ch\n\n"
      "Holder of domain name:\nExample AG\nHans Muster\nBahnhofstrasse 1\nCH-8001 Zurich\n"
      "Contractual Language: German\n\n"
      "Technical contact:\nExample Tech\nhostmaster@example.ch\n+41 44 000 00 00\n\n"
      "Name servers:\nns1.example.ch\t[192.0.2.1]\nns1.example.ch\t[2001:db8::1]\nns2.example.ch\n";
  schema::Record r = ParseUnknown(text);
  const schema::RegrInfo& g = r.regrinfo;
  EXPECT_EQ(g.registered, "yes");
  EXPECT_EQ(g.domain.name, "example.ch");
  EXPECT_EQ(g.owner.name, "Example AG");
  EXPECT_EQ(g.tech.name, "Example Tech");
  EXPECT_EQ(g.tech.email, "hostmaster@example.ch");
  EXPECT_EQ(g.tech.phone, "+41 44 000 00 00");
  EXPECT_EQ(Hosts(r), (std::vector<std::string>{"ns1.example.ch", "ns2.example.ch"}));
}

TEST(HeaderBlockLayout, ReadsIndentedKeyedBlocks) {
  const char* text =
      "Domain:\texample.be\nStatus:\tNOT AVAILABLE\nRegistered:\tTue Dec 12 2000\n\n"
      "Registrant:\n\tNot shown, please visit www.dns.be for webbased whois.\n\n"
      "Registrar:\n\tName:\t Example Registrar\n\tWebsite: http://registrar.example\n\n"
      "Nameservers:\n\tns1.example.be\n\tns2.example.be\n\n"
      "Administrative contact:\n    Name:              Ann Admin\n"
      "    Postal address:    1 Street,\n                       Town\n"
      "    Email:             ann@example.be\n";
  schema::Record r = ParseUnknown(text);
  const schema::RegrInfo& g = r.regrinfo;
  EXPECT_EQ(g.domain.created, "2000-12-12");
  EXPECT_EQ(g.domain.sponsor, "Example Registrar");
  EXPECT_EQ(g.domain.referer, "http://registrar.example");
  EXPECT_EQ(g.owner.name, "");
  EXPECT_EQ(g.owner.redacted, (std::vector<std::string>{"name"}));
  EXPECT_EQ(Hosts(r), (std::vector<std::string>{"ns1.example.be", "ns2.example.be"}));
  EXPECT_EQ(g.admin.name, "Ann Admin");
  EXPECT_EQ(g.admin.email, "ann@example.be");
  EXPECT_EQ(g.admin.address.street, (std::vector<std::string>{"1 Street,", "Town"}));
}

TEST(BracketLayout, ReadsJprsStyle) {
  const char* text =
      "[ JPRS database provides information on network administration. ]\n"
      "Domain Information: [Domain Name]                   EXAMPLE.JP\n"
      "a. [Domain Name]                EXAMPLE.JP\n"
      "g. [Organization]               Example K.K.\n"
      "p. [Name Server]                ns1.example.jp\n"
      "p. [Name Server]                ns2.example.jp\n"
      "[Created on]                    2001/05/22\n"
      "[Expires on]                    2014/05/31\n"
      "[Last Updated]                  2013/06/01 01:05:07 (JST)\n";
  schema::Record r = ParseUnknown(text);
  EXPECT_EQ(r.regrinfo.domain.name, "example.jp");
  EXPECT_EQ(Hosts(r), (std::vector<std::string>{"ns1.example.jp", "ns2.example.jp"}));
  EXPECT_EQ(r.regrinfo.domain.created, "2001-05-22");
  EXPECT_EQ(r.regrinfo.domain.expires, "2014-05-31");
  EXPECT_EQ(r.regrinfo.domain.changed, "2013-06-01");
  EXPECT_EQ(r.regrinfo.owner.organization, "Example K.K.");
}

TEST(BracketLayout, ReadsJprsJapaneseKeys) {
  schema::Record r = Parse(
      "[ドメイン名]                    EXAMPLE.JP\n[登録者名]                      例株式会社\n"
      "[ネームサーバ]                  ns1.example.jp\n[登録年月日]                    2001/05/22\n"
      "[有効期限]                      2025/05/31\n[状態]                          Active\n",
      ParseOptions{});
  EXPECT_EQ(r.regrinfo.domain.name, "example.jp");
  EXPECT_EQ(r.regrinfo.owner.name, "例株式会社");
  EXPECT_EQ(r.regrinfo.domain.created, "2001-05-22");
  EXPECT_EQ(r.regrinfo.domain.expires, "2025-05-31");
  EXPECT_EQ(r.regrinfo.domain.nserver.count("ns1.example.jp"), 1u);
  EXPECT_EQ(r.regrinfo.registered, "yes");
}

TEST(Availability, ClassifiesThrottleBeforeNotFound) {
  schema::Record r = ParseUnknown(
      "%% Too many requests...\n%%\n\n%% No entries found in the AFNIC Database.\n");
  EXPECT_TRUE(r.throttled);
  EXPECT_EQ(r.regrinfo.registered, "unknown");
}

TEST(Availability, RecognizesRefusalTexts) {
  // Short forms of the texts in shared/data/throttle-messages.txt.
  const char* refusals[] = {
      "% Error: 55000000002 Connection refused; access control limit reached.\n",
      "# Too many connections.\n",
      "% WHOIS test\n% Maximum queries per hour reached (100)\n",
      "% Excessive querying, grace period of 2 seconds\n",
      " example.be\n-3: IP address blocked\n",
      "request limit exceeded for 127.0.0.1\n",
      "whois.domain-registry.nl: only 1 request per second allowed, try again later\n",
      "-1: Still in grace period, wait 7777777 seconds\n",
      "You have exceeded your quota of queries.\n",
      "Your connection limit exceeded. Please slow down and try again later.\n",
      "The WHOIS query quota for 192.0.2.1 has been exceeded and will be replenished in 50 seconds.\n",
      "WHOIS LIMIT EXCEEDED - SEE WWW.PIR.ORG/WHOIS FOR DETAILS\n",
      "query_status: 440 Request Denied\n",
      "Please go away for 13 Seconds\n",
      "%ERROR:201: access denied for 192.0.2.1\n",
      "%ERROR:203: you are not allowed to act as a proxy\n",
      "Maximum daily connection limit reached. Lookup refused.\n",
      "Requests of this client are not permitted. Please use https://www.nic.ch/ for queries.\n",
      "Rate limit exceeded. Try again after: 24h0m0s\n",
  };
  for (const char* a : refusals) {
    schema::Record r = ParseUnknown(a);
    EXPECT_TRUE(r.throttled) << "input: " << a;
    EXPECT_EQ(r.regrinfo.registered, "unknown") << "input: " << a;
  }
  // Not refusals: outages, errors and reduced answers.
  const char* others[] = {
      "Service temporarily unavailable.\n",
      "% Error: 55000000010 Non bijective ace-idn convertible domain\n",
      "% Query rate limit exceeded. Reduced information.\n\ndomain: example.br\n",
      "By submitting a query you agree not to use excessive querying of the WHOIS database.\n"
      "No match for \"EXAMPLE.COM\".\n",
  };
  for (const char* a : others) EXPECT_FALSE(ParseUnknown(a).throttled) << "input: " << a;
}

TEST(Availability, ReadsNotFoundAnswers) {
  const char* answers[] = {
      "No match for \"EXAMPLE.COM\".\n>>> Last update of whois database: 2024 <<<\n",
      "Domain: example.be\nStatus: AVAILABLE\n",
      "Available\nDomain: nosuchdomain.capetown\n",
      "%ERROR:101: no entries found\n",
      "Domain Name: example.gs\nDomain Status: No Object Found\n",
      "The domain has not been registered.\n",
  };
  for (const char* a : answers) {
    schema::Record r = ParseUnknown(a);
    EXPECT_EQ(r.regrinfo.registered, "no") << "input: " << a;
    EXPECT_FALSE(r.throttled) << "input: " << a;
  }
}

TEST(Availability, UnknownTextIsUnknown) {
  EXPECT_EQ(ParseUnknown("hello world\n").regrinfo.registered, "unknown");
  EXPECT_EQ(ParseUnknown("").regrinfo.registered, "unknown");
}

TEST(Availability, UsesQueryWhenTheAnswerRepeatsIt) {
  schema::Record r = ParseUnknown("No match for \"EXAMPLE.NET\".\n", "example.net");
  EXPECT_EQ(r.regrinfo.domain.name, "example.net");
}

TEST(Rawdata, KeepsEveryLineAsValidUtf8) {
  schema::Record r = ParseUnknown("a\r\n\r\nb\xFF\n");
  EXPECT_EQ(r.rawdata, (std::vector<std::string>{"a", "", "b\xC3\xBF"}));
}

}  // namespace
}  // namespace whoisq::parse
