#include "resolve/url.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace whoisq::resolve {
namespace {

struct Accepted {
  std::string_view input;
  std::string_view scheme;
  std::string_view host;
  uint16_t port;
  std::string_view target;
  std::string_view canonical;
};

TEST(ParseUrl, Accepted) {
  static const Accepted kCases[] = {
      {"https://rdap.verisign.com/com/v1/", "https", "rdap.verisign.com", 443, "/com/v1/",
       "https://rdap.verisign.com/com/v1/"},
      {"HTTPS://RDAP.Example.COM/Domain/X", "https", "rdap.example.com", 443, "/Domain/X",
       "https://rdap.example.com/Domain/X"},
      {"http://rdap.arin.net/registry/", "http", "rdap.arin.net", 80, "/registry/",
       "http://rdap.arin.net/registry/"},
      {"https://example.com", "https", "example.com", 443, "/", "https://example.com/"},
      {"https://example.com?x=1", "https", "example.com", 443, "/?x=1", "https://example.com/?x=1"},
      {"https://example.com:443/a", "https", "example.com", 443, "/a", "https://example.com/a"},
      {"http://example.com:80/a", "http", "example.com", 80, "/a", "http://example.com/a"},
      {"https://example.com:80/a", "https", "example.com", 80, "/a", "https://example.com:80/a"},
      {"http://example.com:8080/a", "http", "example.com", 8080, "/a", "http://example.com:8080/a"},
      {"https://example.com:65535/", "https", "example.com", 65535, "/", "https://example.com:65535/"},
      {"https://example.com:/a", "https", "example.com", 443, "/a", "https://example.com/a"},
      {"https://example.com/a#frag", "https", "example.com", 443, "/a", "https://example.com/a"},
      {"https://example.com/a?b=c#frag", "https", "example.com", 443, "/a?b=c",
       "https://example.com/a?b=c"},
      {"https://example.com#frag", "https", "example.com", 443, "/", "https://example.com/"},
      {"https://example.com/a/./b/../c", "https", "example.com", 443, "/a/c", "https://example.com/a/c"},
      {"https://example.com/../../x", "https", "example.com", 443, "/x", "https://example.com/x"},
      {"https://example.com/a?p=../b", "https", "example.com", 443, "/a?p=../b",
       "https://example.com/a?p=../b"},
      {"https://example.com/domain/xn--bcher-kva.de", "https", "example.com", 443,
       "/domain/xn--bcher-kva.de", "https://example.com/domain/xn--bcher-kva.de"},
      {"https://example.com/a%20b", "https", "example.com", 443, "/a%20b", "https://example.com/a%20b"},
      // Not RFC 3986 but harmless in a request line; real Location values carry them.
      {"https://example.com/a|b{c}\"d", "https", "example.com", 443, "/a|b{c}\"d",
       "https://example.com/a|b{c}\"d"},
      {"https://[2001:DB8::1]/rdap/", "https", "2001:db8::1", 443, "/rdap/", "https://[2001:db8::1]/rdap/"},
      {"https://[2001:db8:0:0:0:0:0:1]:8443/", "https", "2001:db8::1", 8443, "/",
       "https://[2001:db8::1]:8443/"},
      {"http://[::1]", "http", "::1", 80, "/", "http://[::1]/"},
      {"http://192.0.2.1:8080/x", "http", "192.0.2.1", 8080, "/x", "http://192.0.2.1:8080/x"},
      {"http://127.0.0.1/", "http", "127.0.0.1", 80, "/", "http://127.0.0.1/"},
      {"https://rdap.example.com./", "https", "rdap.example.com.", 443, "/", "https://rdap.example.com./"},
      {"https://my_host.example/", "https", "my_host.example", 443, "/", "https://my_host.example/"},
  };
  for (const Accepted& c : kCases) {
    auto url = ParseUrl(c.input);
    ASSERT_TRUE(url.ok()) << c.input << ": " << url.status().ToString();
    EXPECT_EQ(url->scheme, c.scheme) << c.input;
    EXPECT_EQ(url->host, c.host) << c.input;
    EXPECT_EQ(url->port, c.port) << c.input;
    EXPECT_EQ(url->target, c.target) << c.input;
    EXPECT_EQ(url->ToString(), c.canonical) << c.input;
    auto again = ParseUrl(url->ToString());  // the canonical form parses to itself
    ASSERT_TRUE(again.ok()) << c.input;
    EXPECT_EQ(again->ToString(), c.canonical) << c.input;
  }
}

TEST(ParseUrl, Refused) {
  static const std::string_view kCases[] = {
      "",
      "example.com/path",
      "/relative/path",
      "//example.com/",
      "ftp://example.com/",
      "whois://whois.verisign-grs.com",
      "javascript:alert(1)",
      "https:example.com",
      "https:/example.com",
      "https://",
      "https:///path",
      "https://:443/",
      "https://user@example.com/",
      "https://user:pw@example.com/",
      "https://@example.com/",
      "https://example.com@evil.com/",
      "https://example.com:0/",
      "https://example.com:65536/",
      "https://example.com:99999/",
      "https://example.com:123456/",
      "https://example.com:8a/",
      "https://example.com:-1/",
      "https://example.com:443:443/",
      "https://exa mple.com/",
      "https://example.com/a b",
      "https://example.com/a\r\nHost: evil",
      "https://example.com/a\nb",
      "https://example.com/a\rb",
      "https://example.com/\tx",
      std::string_view("https://example.com/\0x", 22),
      "https://example.com/\x7f",
      "https://example.com/caf\xc3\xa9",
      "https://b\xc3\xbc" "cher.de/",
      " https://example.com/",
      "https://example.com/ ",
      "https://[2001:db8::1/",
      "https://[2001:db8::g]/",
      "https://[fe80::1%25eth0]/",
      "https://[2001:db8::1]x/",
      "https://2001:db8::1/",
      "https://a..b/",
      "https://.example.com/",
      "https://example.com\\evil.com/",
      "https://exa%6dple.com/",
      "https://256.1.1.1/",
      "https://1.2.3/",
      "https://010.1.1.1/",
      "https://0x7f.0.0.1/",
      "https://example.123/",
  };
  for (std::string_view input : kCases) {
    auto url = ParseUrl(input);
    EXPECT_FALSE(url.ok()) << "accepted: " << input;
    if (!url.ok()) {
      EXPECT_EQ(url.status().code(), schema::ErrorCode::kInvalidQuery) << input;
      EXPECT_EQ(url.status().message().find_first_of("\r\n"), std::string::npos) << input;
    }
  }
}

TEST(ParseUrl, LengthLimit) {
  const std::string prefix = "https://example.com/";
  EXPECT_TRUE(ParseUrl(prefix + std::string(2048 - prefix.size(), 'a')).ok());
  auto too_long = ParseUrl(prefix + std::string(2049 - prefix.size(), 'a'));
  ASSERT_FALSE(too_long.ok());
  EXPECT_NE(too_long.status().message().find("2048"), std::string::npos) << too_long.status().message();
}

TEST(ParseUrl, MessagesNameTheProblem) {
  EXPECT_NE(ParseUrl("https://u@h/").status().message().find("userinfo"), std::string::npos);
  EXPECT_NE(ParseUrl("ftp://h/").status().message().find("http or https"), std::string::npos);
  EXPECT_NE(ParseUrl("https://h:0/").status().message().find("port"), std::string::npos);
  const std::string crlf = ParseUrl("https://h/a\r\nb").status().message();
  EXPECT_NE(crlf.find("CR at offset 11"), std::string::npos) << crlf;
  EXPECT_NE(crlf.find("\\x0d\\x0a"), std::string::npos) << crlf;
}

TEST(Url, SameOrigin) {
  auto a = ParseUrl("https://rdap.example.com/a");
  auto b = ParseUrl("HTTPS://RDAP.example.com:443/b?c");
  auto c = ParseUrl("http://rdap.example.com/a");
  auto d = ParseUrl("https://rdap.example.com:8443/a");
  auto e = ParseUrl("https://other.example.com/a");
  ASSERT_TRUE(a.ok() && b.ok() && c.ok() && d.ok() && e.ok());
  EXPECT_TRUE(a->SameOrigin(*b));
  EXPECT_FALSE(a->SameOrigin(*c));
  EXPECT_FALSE(a->SameOrigin(*d));
  EXPECT_FALSE(a->SameOrigin(*e));
  auto v6a = ParseUrl("https://[2001:DB8::1]/");
  auto v6b = ParseUrl("https://[2001:db8:0::1]:443/x");
  ASSERT_TRUE(v6a.ok() && v6b.ok());
  EXPECT_TRUE(v6a->SameOrigin(*v6b));
}

TEST(ResolveUrl, Cases) {
  struct Case {
    std::string_view base, location, expected;
  };
  static const Case kCases[] = {
      // absolute
      {"https://rdap.arin.net/registry/ip/1.1.1.1", "https://rdap.apnic.net/ip/1.1.1.1",
       "https://rdap.apnic.net/ip/1.1.1.1"},
      {"https://a.example/x", "HTTP://B.Example:8080/y#f", "http://b.example:8080/y"},
      // scheme-relative keeps the base scheme
      {"https://a.example/x", "//b.example/y?z", "https://b.example/y?z"},
      {"http://a.example/x", "//b.example", "http://b.example/"},
      // absolute path keeps the origin, including a non-default port
      {"https://a.example:8443/x/y", "/rdap/domain/example.com", "https://a.example:8443/rdap/domain/example.com"},
      {"https://a.example/x/y", "/", "https://a.example/"},
      {"https://a.example/x/y", "/a/../b/./c", "https://a.example/b/c"},
      {"https://[2001:db8::1]/x", "/y", "https://[2001:db8::1]/y"},
      // relative references
      {"https://a.example/x/y?q", "z", "https://a.example/x/z"},
      {"https://a.example/x/y", "../z", "https://a.example/z"},
      {"https://a.example/x/y", "../../../z", "https://a.example/z"},
      {"https://a.example/x/y?q", "?r", "https://a.example/x/y?r"},
      {"https://a.example/x/y?q", "", "https://a.example/x/y?q"},
      {"https://a.example/x/y?q", "#frag", "https://a.example/x/y?q"},
      {"https://a.example/x/y", "/z#frag", "https://a.example/z"},
  };
  for (const Case& c : kCases) {
    auto base = ParseUrl(c.base);
    ASSERT_TRUE(base.ok()) << c.base;
    auto url = ResolveUrl(*base, c.location);
    ASSERT_TRUE(url.ok()) << c.base << " + " << c.location << ": " << url.status().ToString();
    EXPECT_EQ(url->ToString(), c.expected) << c.base << " + " << c.location;
  }
}

TEST(ResolveUrl, Refused) {
  auto base = ParseUrl("https://rdap.example.com/domain/x");
  ASSERT_TRUE(base.ok());
  static const std::string_view kCases[] = {
      "ftp://evil.example/",
      "file:///etc/passwd",
      "https://user@evil.example/",
      "//user@evil.example/",
      "//evil.example:0/",
      "/a\r\nSet-Cookie: x",
      "/a b",
      "https://evil.example:70000/",
      "//",
  };
  for (std::string_view location : kCases) {
    auto url = ResolveUrl(*base, location);
    EXPECT_FALSE(url.ok()) << "accepted: " << location;
    if (!url.ok()) {
      EXPECT_EQ(url.status().code(), schema::ErrorCode::kInvalidQuery) << location;
    }
  }
  const std::string long_path = "/" + std::string(2100, 'a');
  EXPECT_FALSE(ResolveUrl(*base, long_path).ok());
}

TEST(EncodePathSegment, KeepsUnreservedOnly) {
  EXPECT_EQ(EncodePathSegment("example.com"), "example.com");
  EXPECT_EQ(EncodePathSegment("xn--bcher-kva.de"), "xn--bcher-kva.de");
  EXPECT_EQ(EncodePathSegment("AZaz09-._~"), "AZaz09-._~");
  EXPECT_EQ(EncodePathSegment("2001:db8::1"), "2001%3Adb8%3A%3A1");
  EXPECT_EQ(EncodePathSegment("a/b"), "a%2Fb");
  EXPECT_EQ(EncodePathSegment("a b?c#d%e"), "a%20b%3Fc%23d%25e");
  EXPECT_EQ(EncodePathSegment("\r\n"), "%0D%0A");
  EXPECT_EQ(EncodePathSegment("b\xc3\xbc"), "b%C3%BC");
  EXPECT_EQ(EncodePathSegment(std::string_view("\0", 1)), "%00");
  EXPECT_EQ(EncodePathSegment(""), "");
}

}  // namespace
}  // namespace whoisq::resolve
