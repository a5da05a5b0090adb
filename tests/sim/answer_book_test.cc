#include "tools/whois_sim/answer_book.h"

#include <gtest/gtest.h>

namespace whoisq::sim {
namespace {

TEST(ParseQuery, TakesLastTokenLowercased) {
  struct Case {
    const char* line;
    const char* name;
  } cases[] = {
      {"example.com\r\n", "example.com"},
      {"EXAMPLE.COM\r\n", "example.com"},
      {"domain Example.Com\r\n", "example.com"},
      {"-T dn,ace example.de\r\n", "example.de"},
      {"=google.com\n", "google.com"},
      {"  spaced.org  \r\n", "spaced.org"},
      {"\r\n", ""},
  };
  for (const Case& c : cases) EXPECT_EQ(ParseQuery(c.line).name, c.name) << c.line;
  EXPECT_EQ(ParseQuery("domain Example.Com\r\n").line, "domain Example.Com");
}

TEST(GlobMatch, Cases) {
  struct Case {
    const char* pattern;
    const char* text;
    bool match;
  } cases[] = {
      {"example.com", "example.com", true},  {"example.com", "EXAMPLE.COM", true},
      {"example.com", "xexample.com", false}, {"*.com", "google.com", true},
      {"*.com", "google.net", false},         {"*.com", ".com", true},
      {"*", "", true},                         {"*", "anything", true},
      {"nx-*.org", "nx-foo.org", true},        {"nx-*.org", "foo.org", false},
      {"a*b*c", "axxbyyc", true},              {"a*b*c", "axxbyy", false},
      {"*.co*", "a.co.uk", true},              {"com", "", false},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(GlobMatch(c.pattern, c.text), c.match) << c.pattern << " vs " << c.text;
  }
}

TEST(RenderTemplate, SubstitutesPlaceholders) {
  const Query q = ParseQuery("domain Google.COM\r\n");
  EXPECT_EQ(RenderTemplate("Domain Name: {{QUERY}}", q), "Domain Name: GOOGLE.COM");
  EXPECT_EQ(RenderTemplate("Domain Name: {{query}}", q), "Domain Name: google.com");
  EXPECT_EQ(RenderTemplate("you asked '{{line}}'", q), "you asked 'domain Google.COM'");
  EXPECT_EQ(RenderTemplate("{{query}}{{query}} {{other}} {{", q),
            "google.comgoogle.com {{other}} {{");
}

TEST(ToCrlf, ConvertsBareLfOnly) {
  EXPECT_EQ(ToCrlf("a\nb\n"), "a\r\nb\r\n");
  EXPECT_EQ(ToCrlf("a\r\nb\r\n"), "a\r\nb\r\n");
  EXPECT_EQ(ToCrlf("\n"), "\r\n");
  EXPECT_EQ(AsWireText("NOT FOUND"), "NOT FOUND\r\n");
  EXPECT_EQ(AsWireText(""), "");
}

TEST(AnswerBook, FirstMatchWinsElseNotFound) {
  AnswerBook book(
      {
          {"nx-*.com", false, "No match for \"{{QUERY}}\".\n"},
          {"*.com", false, "Domain Name: {{QUERY}}\nRegistrar: X\n"},
          {"help", true, "whole line\n"},
      },
      "No match for \"{{QUERY}}\".");
  EXPECT_EQ(book.Answer(ParseQuery("google.com\r\n")), "Domain Name: GOOGLE.COM\r\nRegistrar: X\r\n");
  EXPECT_EQ(book.Answer(ParseQuery("nx-foo.com\r\n")), "No match for \"NX-FOO.COM\".\r\n");
  EXPECT_EQ(book.Answer(ParseQuery("example.org\r\n")), "No match for \"EXAMPLE.ORG\".\r\n");
  EXPECT_EQ(book.Answer(ParseQuery("HELP\r\n")), "whole line\r\n");
  EXPECT_EQ(book.Answer(ParseQuery("x help\r\n")), "No match for \"HELP\".\r\n");
}

}  // namespace
}  // namespace whoisq::sim
