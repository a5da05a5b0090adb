#include "worker/parse/line_scanner.h"

#include <gtest/gtest.h>

namespace whoisq::parse {
namespace {

struct KeyCase {
  const char* line;
  const char* key;    // "" when the line has no key
  const char* value;
};

const KeyCase kCases[] = {
    {"Domain Name: EXAMPLE.COM", "domain name", "EXAMPLE.COM"},
    {"   Registrant State/Province: CA", "registrant state province", "CA"},
    {"Domain Name.......: example.it", "domain name", "example.it"},
    {"Created on..............: 2001-Aug-23.", "created on", "2001-Aug-23."},
    {"1a.        Domain Name : dha.gov.za", "domain name", "dha.gov.za"},
    {"a. [Domain Name]                GOOGLE.JP", "domain name", "GOOGLE.JP"},
    {"a [Domain Name]                 google.my", "domain name", "google.my"},
    {"[Tech-C]", "tech c", ""},
    {"Admin. Email\t: x@example.com", "admin email", "x@example.com"},
    {"Data de registo / Creation Date (dd/mm/yyyy): 09/01/2003", "creation date", "09/01/2003"},
    {"Owner's handle: C4-SN", "owner handle", "C4-SN"},
    {"registrant: !Contact ", "registrant", ""},
    {"created: \"2011-01-13\"", "created", "2011-01-13"},
    {"** Registrant:", "registrant", ""},
    // Not keys.
    {"http://www.example.com/whois", "", ""},
    {"ns1.citrin.ch\t[2001:8a8:21:5::11]", "", ""},
    {"Record last updated on Mon Apr 19 21:47:14 2010", "", ""},
    {"2011-03-30T19:36:27+02:00", "", ""},
    {"By submitting a query you agree to the following terms of use and to these: x", "", ""},
    {"Mountain View, CA 94043", "", ""},
};

TEST(LineScanner, ReadsKeysAndValues) {
  for (const KeyCase& c : kCases) {
    std::string arena;
    std::vector<WhoisLine> lines = ScanLines(SplitLineViews(c.line), arena);
    ASSERT_EQ(lines.size(), 1u) << "input: \"" << c.line << "\"";
    EXPECT_EQ(lines[0].key, c.key) << "input: \"" << c.line << "\"";
    if (*c.key != '\0') {
      EXPECT_EQ(lines[0].value, c.value) << "input: \"" << c.line << "\"";
    }
  }
}

TEST(LineScanner, MarksCommentsBlanksAndIndentation) {
  std::string arena;
  std::vector<WhoisLine> lines = ScanLines(
      SplitLineViews("% comment\r\n\r\n    indented: x\n\tTabbed\n*****\n>>> Last update <<<"),
      arena);
  ASSERT_EQ(lines.size(), 6u);
  EXPECT_TRUE(lines[0].comment);
  EXPECT_TRUE(lines[1].blank);
  EXPECT_EQ(lines[2].indent, 4);
  EXPECT_EQ(lines[3].indent, 8);
  EXPECT_TRUE(lines[4].comment);
  EXPECT_TRUE(lines[5].comment);
}

TEST(LineScanner, NormalizesKeys) {
  EXPECT_EQ(NormalizeKey("Registrant State/Province"), "registrant state province");
  EXPECT_EQ(NormalizeKey("  e-mail  "), "e mail");
  EXPECT_EQ(NormalizeKey("TECHNICAL CONTACT(S)"), "technical contact");
  EXPECT_EQ(NormalizeKey("fax-no"), "fax no");
}

TEST(LineScanner, SplitsEveryLineEnding) {
  EXPECT_EQ(SplitLineViews("a\r\nb\nc\rd").size(), 4u);
  EXPECT_EQ(SplitLineViews("a\n\nb\n").size(), 3u);
  EXPECT_TRUE(SplitLineViews("").empty());
}

}  // namespace
}  // namespace whoisq::parse
