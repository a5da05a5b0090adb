#include "schema/record.h"

#include <gtest/gtest.h>

#include "schema/json.h"

namespace whoisq::schema {
namespace {

Record Registry() {
  Record r;
  r.rawdata = {"registry line"};
  r.regyinfo.servers.push_back({"whois.verisign-grs.com", 43, "domain example.com", "whois"});
  r.regrinfo.registered = "yes";
  r.regrinfo.domain.name = "example.com";
  r.regrinfo.domain.created = "1995-08-14";
  r.regrinfo.domain.expires = "2030-08-13";
  r.regrinfo.domain.status = {"clientTransferProhibited"};
  r.regrinfo.domain.sponsor = "RESERVED-Internet Assigned Numbers Authority";
  r.regrinfo.domain.nserver = {{"a.iana-servers.net", ""}};
  return r;
}

Record Registrar() {
  Record r;
  r.rawdata = {"registrar line"};
  r.regyinfo.servers.push_back({"whois.markmonitor.com", 43, "example.com", "whois"});
  r.regrinfo.registered = "yes";
  r.regrinfo.domain.created = "1995-08-15";  // registrar's date differs: registry wins
  r.regrinfo.domain.sponsor = "MarkMonitor, Inc.";
  r.regrinfo.domain.referer = "http://www.markmonitor.com";
  r.regrinfo.owner.organization = "Example Org";
  r.regrinfo.tech.email = "tech@example.com";
  return r;
}

TEST(MergeReferral, RegistryDatesRegistrarContacts) {
  Record m = MergeReferral(Registry(), Registrar());
  EXPECT_EQ(m.regrinfo.domain.created, "1995-08-14");
  EXPECT_EQ(m.regrinfo.domain.expires, "2030-08-13");
  EXPECT_EQ(m.regrinfo.domain.status, std::vector<std::string>{"clientTransferProhibited"});
  EXPECT_EQ(m.regrinfo.domain.sponsor, "MarkMonitor, Inc.");
  EXPECT_EQ(m.regrinfo.domain.referer, "http://www.markmonitor.com");
  EXPECT_EQ(m.regrinfo.owner.organization, "Example Org");
  EXPECT_EQ(m.regrinfo.tech.email, "tech@example.com");
  ASSERT_EQ(m.regyinfo.servers.size(), 2u);
  EXPECT_EQ(m.regyinfo.servers[1].server, "whois.markmonitor.com");
  EXPECT_EQ(m.regyinfo.referrer, "whois.markmonitor.com");
  EXPECT_EQ(m.rawdata, (std::vector<std::string>{"registry line", "registrar line"}));
}

TEST(MergeReferral, EmptyRegistrarKeepsRegistry) {
  Record empty;
  empty.regrinfo.registered = "unknown";
  Record m = MergeReferral(Registry(), empty);
  EXPECT_EQ(m.regrinfo.registered, "yes");
  EXPECT_EQ(m.regrinfo.domain.sponsor, "RESERVED-Internet Assigned Numbers Authority");
}

TEST(SplitLines, HandlesAllLineEndings) {
  EXPECT_EQ(SplitLines("a\r\nb\nc\rd"), (std::vector<std::string>{"a", "b", "c", "d"}));
  EXPECT_EQ(SplitLines("a\n\nb\n"), (std::vector<std::string>{"a", "", "b"}));
  EXPECT_TRUE(SplitLines("").empty());
}

TEST(Json, RoundTripsThroughJson) {
  Record m = MergeReferral(Registry(), Registrar());
  m.regrinfo.as.inetnum = "AS1";
  m.regrinfo.owner.redacted = {"email"};
  nlohmann::json j = ToJson(m);
  EXPECT_EQ(j["regrinfo"]["domain"]["created"], "1995-08-14");
  EXPECT_EQ(j["regrinfo"]["AS"]["inetnum"], "AS1");
  EXPECT_FALSE(j["regrinfo"].contains("billing"));  // empty contacts are left out
  auto back = RecordFromJson(j);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(ToJson(*back), j);
}

TEST(Json, WrongTypesAreMalformed) {
  auto bad = RecordFromJson(nlohmann::json::parse(R"({"rawdata": 5})"));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), ErrorCode::kMalformed);
}

}  // namespace
}  // namespace whoisq::schema
