#include "schema/ascii.h"

#include <gtest/gtest.h>

namespace whoisq::schema {
namespace {

TEST(Ascii, FoldsOnlyAsciiLetters) {
  EXPECT_EQ(AsciiLower("WHOIS.Nic.XYZ"), "whois.nic.xyz");
  EXPECT_EQ(AsciiLower("Bücher-ÄÖ.DE"), "bücher-ÄÖ.de");  // UTF-8 bytes unchanged
  EXPECT_EQ(AsciiLower(std::string("A\0B", 3)), std::string("a\0b", 3));
  EXPECT_EQ(AsciiLower(""), "");
}

TEST(Ascii, ComparesIgnoringCase) {
  EXPECT_TRUE(EqualsIgnoreCase("whois.PIR.org", "WHOIS.pir.ORG"));
  EXPECT_FALSE(EqualsIgnoreCase("whois.pir.org", "whois.pir.or"));
  EXPECT_FALSE(EqualsIgnoreCase("[", "{"));  // not a bit trick: '[' + 32 == '{'
  EXPECT_TRUE(StartsWithIgnoreCase("Registrar WHOIS Server: x", "registrar whois server:"));
  EXPECT_FALSE(StartsWithIgnoreCase("Registrar", "registrar whois"));
}

}  // namespace
}  // namespace whoisq::schema
