// The RDAP server's pure parts: target -> query, Host check, Accept-Encoding,
// gzip, error bodies and the rule -> reply step.
#include "tools/whois_sim/rdap_reply.h"

#include <zlib.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace whoisq::sim {
namespace {

TEST(ParseRdapTarget, NameIsTheLastSegmentDecodedAndLowercased) {
  struct Case {
    const char* target;
    const char* line;
    const char* name;
  } cases[] = {
      {"/rdap/domain/Example.COM", "/rdap/domain/Example.COM", "example.com"},
      {"/domain/example.com?jscard=1#x", "/domain/example.com", "example.com"},
      {"/domain/b%C3%BCcher.DE", "/domain/b%C3%BCcher.DE", "b\xc3\xbc" "cher.de"},
      {"/ip/192.0.2.0/24", "/ip/192.0.2.0/24", "24"},
      {"/domain/example.com/", "/domain/example.com/", "example.com"},
      {"/help", "/help", "help"},
      {"/", "/", ""},
      {"/domain/%zz%4", "/domain/%zz%4", "%zz%4"},
  };
  for (const Case& c : cases) {
    const Query q = ParseRdapTarget(c.target);
    EXPECT_EQ(q.line, c.line) << c.target;
    EXPECT_EQ(q.name, c.name) << c.target;
  }
}

TEST(HostMatches, PortOptionalCaseInsensitive) {
  struct Case {
    const char* host;
    bool match;
  } cases[] = {
      {"rdap.test", true},      {"RDAP.Test", true},   {"rdap.test:443", true},
      {"rdap.test.", true},     {" rdap.test ", true}, {"rdap.test:x", false},
      {"127.0.0.1", false},     {"", false},           {"other.rdap.test", false},
      {"[::1]:443", false},     {"rdap.tes", false},
  };
  for (const Case& c : cases) EXPECT_EQ(HostMatches(c.host, "rdap.test"), c.match) << c.host;
}

TEST(AcceptsGzip, Cases) {
  struct Case {
    const char* value;
    bool gzip;
  } cases[] = {
      {"gzip", true},         {"gzip, deflate, br", true}, {"br;q=1, GZIP;q=0.5", true},
      {"x-gzip", true},       {"*", true},                 {"gzip;q=0", false},
      {"gzip;q=0.000", false}, {"deflate", false},         {"", false},
      {"identity", false},    {"*;q=0", false},            {"gzip ; q=0.001", true},
  };
  for (const Case& c : cases) EXPECT_EQ(AcceptsGzip(c.value), c.gzip) << c.value;
}

TEST(Gzip, InflatesBackToTheInput) {
  const std::string text = std::string(5000, 'x') + "{\"a\":1}";
  const std::string packed = Gzip(text);
  ASSERT_GE(packed.size(), 18u);
  EXPECT_EQ(static_cast<unsigned char>(packed[0]), 0x1f);  // gzip magic
  EXPECT_EQ(static_cast<unsigned char>(packed[1]), 0x8b);
  z_stream zs{};
  ASSERT_EQ(inflateInit2(&zs, 15 + 16), Z_OK);
  std::string out(text.size() + 16, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(packed.data()));
  zs.avail_in = static_cast<uInt>(packed.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(inflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  inflateEnd(&zs);
  EXPECT_EQ(out, text);
}

TEST(RdapErrorBody, IsValidJsonForAnyBytes) {
  EXPECT_EQ(RdapErrorBody(429, "Too Many Requests", "say \"when\""),
            R"({"errorCode":429,"title":"Too Many Requests","description":["say \"when\""]})");
  const auto j = nlohmann::json::parse(RdapErrorBody(404, "Not Found", "\xff\xfe"), nullptr, false);
  EXPECT_FALSE(j.is_discarded());
}

TEST(AnswerRdap, RuleRedirectOrNotFound) {
  AnswerRule redirect{"*.net", false, "", 301, "https://rdap.other.test/domain/{{query}}"};
  AnswerRule html{"/help", true, "<p>{{line}}</p>", 200, "", "text/html"};
  AnswerRule com{"*.com", false, "{\"ldhName\":\"{{QUERY}}\"}"};
  const AnswerBook book({redirect, html, com}, "");
  RdapReply r = AnswerRdap(book, ParseRdapTarget("/domain/Example.com"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "application/rdap+json");
  EXPECT_EQ(r.body, "{\"ldhName\":\"EXAMPLE.COM\"}");
  r = AnswerRdap(book, ParseRdapTarget("/domain/x.NET"));
  EXPECT_EQ(r.status, 301);
  EXPECT_EQ(r.location, "https://rdap.other.test/domain/x.net");
  EXPECT_EQ(r.body, "");
  r = AnswerRdap(book, ParseRdapTarget("/help"));
  EXPECT_EQ(r.content_type, "text/html");
  EXPECT_EQ(r.body, "<p>/help</p>");
  r = AnswerRdap(book, ParseRdapTarget("/domain/a.org"));
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body, R"({"errorCode":404,"title":"Not Found","description":["No match for \"a.org\""]})");

  const AnswerBook templated({}, "nothing for {{query}}");
  r = AnswerRdap(templated, ParseRdapTarget("/domain/A.org"));
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body, "nothing for a.org");
}

TEST(ThrottleReply, Is429WithTheRenderedText) {
  const RdapReply r = ThrottleReply("too fast for {{query}}", ParseRdapTarget("/domain/a.com"));
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.body,
            R"({"errorCode":429,"title":"Too Many Requests","description":["too fast for a.com"]})");
}

}  // namespace
}  // namespace whoisq::sim
