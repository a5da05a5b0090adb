// The shared stack fixture (tests/fixtures/sim/stack.toml) answers what its
// README promises: IANA -> registry -> registrar with fixed dates per TLD.
#include <cctype>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/sim/sim_test_util.h"
#include "tools/whois_sim/sim_config.h"

namespace whoisq::sim {
namespace {

using testing::Ask;
using testing::RunningSim;

struct Expected {
  std::string tld;
  std::string registry;
  std::string registry_query;  // as a client would send it
  std::string referral_line;   // in the registry answer
  std::string registrar;
  std::string sponsor_line;    // in the registry answer
  std::string created;
  std::string expires;
  std::string registrar_name;  // "Registrar: ..." in the registrar answer
  std::string not_found;       // in the registry's answer for nx-example.<tld>
};

const Expected kStack[] = {
    {"com", "whois.verisign-grs.com", "domain example.com",
     "   Registrar WHOIS Server: whois.markmonitor.com", "whois.markmonitor.com",
     "   Registrar: MarkMonitor Inc.", "1997-09-15T04:00:00Z", "2028-09-14T04:00:00Z",
     "Registrar: MarkMonitor Inc.", "No match for \"NX-EXAMPLE.COM\"."},
    {"net", "whois.verisign-grs.com", "=example.net",
     "   Registrar WHOIS Server: whois.markmonitor.com", "whois.markmonitor.com",
     "   Registrar: MarkMonitor Inc.", "1999-03-15T05:00:00Z", "2029-03-15T04:00:00Z",
     "Registrar: MarkMonitor Inc.", "No match for \"NX-EXAMPLE.NET\"."},
    {"org", "whois.pir.org", "example.org", "Registrar WHOIS Server: whois.godaddy.com",
     "whois.godaddy.com", "Sponsoring Registrar:GoDaddy.com, LLC (R91-LROR)",
     "1998-10-21T04:00:00Z", "2027-10-20T04:00:00Z", "Registrar: GoDaddy.com, LLC", "NOT FOUND"},
    {"xyz", "whois.nic.xyz", "example.xyz", "WHOIS Server: whois.markmonitor.com",
     "whois.markmonitor.com", "Sponsoring Registrar: MarkMonitor, Inc (TLDs)",
     "2014-03-20T12:59:17.0Z", "2030-03-20T23:59:59.0Z", "Registrar: MarkMonitor Inc.",
     "DOMAIN NOT FOUND"},
    {"io", "whois.nic.io", "example.io", "Registrar WHOIS Server: whois.markmonitor.com",
     "whois.markmonitor.com", "Registrar: MarkMonitor Inc.", "2011-06-02T10:30:11Z",
     "2031-06-02T10:30:11Z", "Registrar: MarkMonitor Inc.", "NOT FOUND"},
};

bool HasLine(const std::string& answer, const std::string& line) {
  return ("\r\n" + answer).find("\r\n" + line + "\r\n") != std::string::npos;
}

class StackTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::string error;
    auto config = LoadSimConfig(std::string(WHOISQ_SIM_FIXTURES) + "/stack.toml", &error);
    ASSERT_TRUE(config) << error;
    sim_ = new RunningSim(*config);
  }
  static void TearDownTestSuite() {
    delete sim_;
    sim_ = nullptr;
  }
  static RunningSim* sim_;
};
RunningSim* StackTest::sim_ = nullptr;

TEST_F(StackTest, ReferralChainPerTld) {
  ASSERT_TRUE(sim_ && sim_->ok());
  for (const Expected& e : kStack) {
    SCOPED_TRACE(e.tld);
    const std::string iana = Ask(sim_->port("whois.iana.org"), e.tld + "\r\n").value_or("");
    EXPECT_TRUE(HasLine(iana, "refer:        " + e.registry)) << iana;
    EXPECT_TRUE(HasLine(iana, "whois:        " + e.registry)) << iana;

    const std::string registry = Ask(sim_->port(e.registry), e.registry_query + "\r\n").value_or("");
    std::string upper = "EXAMPLE." + e.tld;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    // PIR writes "Domain Name:NAME", the others "Domain Name: NAME".
    EXPECT_NE(registry.find(e.tld == "org" ? "Domain Name:" + upper : "Domain Name: " + upper),
              std::string::npos)
        << registry;
    EXPECT_TRUE(HasLine(registry, e.referral_line)) << registry;
    EXPECT_TRUE(HasLine(registry, e.sponsor_line)) << registry;
    EXPECT_NE(registry.find("Creation Date: " + e.created), std::string::npos) << registry;
    EXPECT_NE(registry.find("Registry Expiry Date: " + e.expires), std::string::npos) << registry;

    const std::string registrar =
        Ask(sim_->port(e.registrar), "example." + e.tld + "\r\n").value_or("");
    EXPECT_TRUE(HasLine(registrar, "Domain Name: example." + e.tld)) << registrar;
    EXPECT_TRUE(HasLine(registrar, e.registrar_name)) << registrar;
    EXPECT_TRUE(HasLine(registrar, "Creation Date: " + e.created)) << registrar;
    EXPECT_TRUE(HasLine(registrar, "Registrar Registration Expiration Date: " + e.expires))
        << registrar;

    const std::string missing =
        Ask(sim_->port(e.registry), "nx-example." + e.tld + "\r\n").value_or("");
    EXPECT_NE(missing.find(e.not_found), std::string::npos) << missing;
    EXPECT_EQ(missing.find("Creation Date"), std::string::npos) << missing;
    EXPECT_EQ(Ask(sim_->control(), "reset\n").value_or(""), "ok\n");
  }
}

TEST_F(StackTest, IanaDoesNotKnowOtherTlds) {
  ASSERT_TRUE(sim_ && sim_->ok());
  const std::string iana = Ask(sim_->port("whois.iana.org"), "invalid\r\n").value_or("");
  EXPECT_NE(iana.find("% This query returned 0 objects."), std::string::npos) << iana;
  EXPECT_EQ(iana.find("refer:"), std::string::npos);
}

}  // namespace
}  // namespace whoisq::sim
