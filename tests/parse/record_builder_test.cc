#include "worker/parse/record_builder.h"

#include <gtest/gtest.h>

namespace whoisq::parse {
namespace {

TEST(RecordBuilder, RecognizesRedactionNotices) {
  const char* redacted[] = {
      "REDACTED FOR PRIVACY", "Data Protected", "Not Disclosed", "NOT DISCLOSED!",
      "Redacted | EU Data Subject", "GDPR Masked", "Statutory Masking Enabled",
      "Please query the RDDS service of the Registrar of Record identified in this output",
      "Hidden upon user request", "Not shown, please visit www.dns.be for webbased whois.",
      "N/A", "Personal data, can not be publicly disclosed according to applicable laws."};
  for (const char* v : redacted) EXPECT_TRUE(IsRedactedValue(v)) << "input: " << v;
  const char* kept[] = {"Google Inc.", "Jane Doe", "Contact Privacy Inc. Customer 123",
                        "Domains By Proxy, LLC", "Withheld for Privacy ehf"};
  for (const char* v : kept) EXPECT_FALSE(IsRedactedValue(v)) << "input: " << v;
}

TEST(RecordBuilder, ReadsNameServerValues) {
  struct Case {
    const char* value;
    const char* host;
    const char* ip;
  };
  const Case cases[] = {
      {"NS1.GOOGLE.COM", "ns1.google.com", ""},
      {"ns1.google.com. [216.239.32.10]", "ns1.google.com", "216.239.32.10"},
      {"DNS2.BRUNET.BN  (61.6.254.148, 61.6.254.149)", "dns2.brunet.bn", "61.6.254.148"},
      {"ns1.nic.fr [192.134.4.1 2001:67c:2218:2::4:1]", "ns1.nic.fr", "192.134.4.1"},
      {"google.pt\tNS\tns4.google.com.", "ns4.google.com", ""},
      {"- ns1.example.net", "ns1.example.net", ""},
      {"ns1.google.com. not.defined.", "ns1.google.com", ""},
  };
  for (const Case& c : cases) {
    schema::RegrInfo g;
    ServerRule rule;
    RecordBuilder b(g, rule);
    EXPECT_TRUE(b.AddNameserver(c.value)) << "input: " << c.value;
    ASSERT_EQ(g.domain.nserver.count(c.host), 1u) << "input: " << c.value;
    EXPECT_EQ(g.domain.nserver.at(c.host), c.ip) << "input: " << c.value;
  }
  schema::RegrInfo g;
  ServerRule rule;
  RecordBuilder b(g, rule);
  EXPECT_FALSE(b.AddNameserver("No nameserver"));
  EXPECT_FALSE(b.AddNameserver("192.0.2.1"));
}

TEST(RecordBuilder, StripsRegistrarIds) {
  const std::pair<const char*, const char*> cases[] = {
      {"MarkMonitor Inc. (R151-LRMS)", "MarkMonitor Inc."},
      {"MarkMonitor Inc R45-ME", "MarkMonitor Inc"},
      {"Tuonome IT (380)", "Tuonome IT"},
      {"Example Registrar, Inc.", "Example Registrar, Inc."},
  };
  for (const auto& [in, want] : cases) {
    schema::RegrInfo g;
    ServerRule rule;
    RecordBuilder b(g, rule);
    b.SetDomain(DomainField::kSponsor, in);
    EXPECT_EQ(g.domain.sponsor, want) << "input: " << in;
  }
}

TEST(RecordBuilder, SplitsNameAndEmail) {
  schema::RegrInfo g;
  ServerRule rule;
  RecordBuilder b(g, rule);
  b.SetContact(Role::kAdmin, ContactField::kNameOrHandle, "Jane Doe <jane@example.org>");
  b.SetContact(Role::kTech, ContactField::kNameOrHandle, "XY123-EXAMPLE");
  EXPECT_EQ(g.admin.name, "Jane Doe");
  EXPECT_EQ(g.admin.email, "jane@example.org");
  EXPECT_EQ(g.tech.handle, "XY123-EXAMPLE");
  EXPECT_EQ(g.tech.name, "");
}

}  // namespace
}  // namespace whoisq::parse
