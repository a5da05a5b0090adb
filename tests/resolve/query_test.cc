#include "resolve/query.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "resolve/public_suffix.h"

namespace whoisq::resolve {
namespace {

using schema::ErrorCode;

struct Valid {
  std::string input;
  QueryType type;
  std::string normalized;
  std::string suffix = "";   // kDomain/kTld only
  std::string unicode = "";  // expected display form ("" = same as normalized)
};

// Prints control bytes visibly, so a failing case can be recognized.
std::string Show(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7F) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return "\"" + out + "\"";
}

const std::string kLabel63(63, 'a');
const std::string kLabel64(64, 'a');

std::vector<Valid> ValidCases() {
  using T = QueryType;
  return {
      // URLs: scheme, userinfo, port, path, query and fragment go.
      {"https://www.Example.co.uk:8443/path?q", T::kDomain, "example.co.uk", "co.uk"},
      {"http://user:pw@host.example.com/", T::kDomain, "example.com", "com"},
      {"http://user@pw@example.com/", T::kDomain, "example.com", "com"},
      {"HTTP://WWW.EXAMPLE.COM/", T::kDomain, "example.com", "com"},
      {"https://example.com/", T::kDomain, "example.com", "com"},
      {"https://example.com#frag", T::kDomain, "example.com", "com"},
      {"https://example.com?x=1&y=2", T::kDomain, "example.com", "com"},
      {"https://example.com/caf\xC3\xA9?q=%20", T::kDomain, "example.com", "com"},
      {"http://example.com:/", T::kDomain, "example.com", "com"},
      {"//cdn.example.net/lib.js", T::kDomain, "example.net", "net"},
      {"ftp://files.example.de", T::kDomain, "example.de", "de"},
      {"git+ssh://git@git.example.org:22/repo", T::kDomain, "example.org", "org"},
      {"http://example.com\\@evil.com/", T::kDomain, "example.com", "com"},
      {"example.org:8080", T::kDomain, "example.org", "org"},
      {"example.org/path/to?x#y", T::kDomain, "example.org", "org"},
      {"https://a.b.c.example.com.au/x", T::kDomain, "example.com.au", "com.au"},
      // Hosts: case, trailing dot, surrounding white space.
      {"WWW.EXAMPLE.COM", T::kDomain, "example.com", "com"},
      {"shop.example.com.", T::kDomain, "example.com", "com"},
      {"  example.com  ", T::kDomain, "example.com", "com"},
      {"example.com\t", T::kDomain, "example.com", "com"},
      {"example.com\r\n", T::kDomain, "example.com", "com"},
      {"EXAMPLE.COM.AU", T::kDomain, "example.com.au", "com.au"},
      {"www.example.com.au.", T::kDomain, "example.com.au", "com.au"},
      {"_dmarc.example.com", T::kDomain, "example.com", "com"},
      {"my_host.example.com", T::kDomain, "example.com", "com"},
      {"ab--cd.example.com", T::kDomain, "example.com", "com"},
      {kLabel63 + ".com", T::kDomain, kLabel63 + ".com", "com"},
      // Public suffixes: ICANN section only; special registry zones count.
      {"foo.bar.github.io", T::kDomain, "github.io", "io"},
      {"user.github.io", T::kDomain, "github.io", "io"},
      {"blog.blogspot.com", T::kDomain, "blogspot.com", "com"},
      {"www.city.kawasaki.jp", T::kDomain, "city.kawasaki.jp", "kawasaki.jp"},
      {"foo.bar.kawasaki.jp", T::kDomain, "foo.bar.kawasaki.jp", "bar.kawasaki.jp"},
      {"www.ck", T::kDomain, "www.ck", "ck"},
      {"foo.bar.ck", T::kDomain, "foo.bar.ck", "bar.ck"},
      {"www.gov.uk", T::kDomain, "www.gov.uk", "gov.uk"},
      {"x.example.br.com", T::kDomain, "example.br.com", "br.com"},
      {"br.com", T::kDomain, "br.com", "com"},
      {"a.b.example.uk.co", T::kDomain, "example.uk.co", "uk.co"},
      {"www.bl.uk", T::kDomain, "bl.uk", "uk"},
      {"printer.local", T::kDomain, "printer.local", "local"},
      {"a.b.printer.internal", T::kDomain, "printer.internal", "internal"},
      {"as1x.com", T::kDomain, "as1x.com", "com"},
      // TLD and suffix queries.
      {"com", T::kTld, "com", "com"},
      {"COM.", T::kTld, "com", "com"},
      {".uk", T::kTld, "uk", "uk"},
      {"co.uk", T::kTld, "co.uk", "co.uk"},
      {"asia", T::kTld, "asia", "asia"},
      {"as", T::kTld, "as", "as"},
      {"localhost", T::kTld, "localhost", "localhost"},
      {"xn--p1ai", T::kTld, "xn--p1ai", "xn--p1ai", "\xD1\x80\xD1\x84"},
      {"\xE5\x85\xAC\xE5\x8F\xB8.cn", T::kTld, "xn--55qx5d.cn", "xn--55qx5d.cn", "\xE5\x85\xAC\xE5\x8F\xB8.cn"},
      // IDNs (expected A-labels cross-checked with Python's punycode codec).
      {"b\xC3\xBC" "cher.de", T::kDomain, "xn--bcher-kva.de", "de", "b\xC3\xBC" "cher.de"},
      {"B\xC3\x9C" "CHER.DE", T::kDomain, "xn--bcher-kva.de", "de", "b\xC3\xBC" "cher.de"},
      {"https://www.b\xC3\xBC" "cher.de/k\xC3\xA4se", T::kDomain, "xn--bcher-kva.de", "de", "b\xC3\xBC" "cher.de"},
      {"\xE4\xBE\x8B\xE3\x81\x88.jp", T::kDomain, "xn--r8jz45g.jp", "jp", "\xE4\xBE\x8B\xE3\x81\x88.jp"},
      {"www.\xE4\xBE\x8B\xE3\x81\x88\xE3\x80\x82jp", T::kDomain, "xn--r8jz45g.jp", "jp", "\xE4\xBE\x8B\xE3\x81\x88.jp"},
      {"\xC3\x89" "COLE.fr", T::kDomain, "xn--cole-9oa.fr", "fr", "\xC3\xA9" "cole.fr"},
      {"\xEF\xBD\x85\xEF\xBD\x98\xEF\xBD\x81\xEF\xBD\x8D\xEF\xBD\x90\xEF\xBD\x8C\xEF\xBD\x85\xEF\xBC\x8E\xEF\xBD\x83\xEF\xBD\x8F\xEF\xBD\x8D",
       T::kDomain, "example.com", "com"},  // full-width letters and full stop
      {"xn--bcher-kva.de", T::kDomain, "xn--bcher-kva.de", "de", "b\xC3\xBC" "cher.de"},
      {"XN--BCHER-KVA.DE", T::kDomain, "xn--bcher-kva.de", "de", "b\xC3\xBC" "cher.de"},
      {"stra\xC3\x9F" "e.de", T::kDomain, "xn--strae-oqa.de", "de", "stra\xC3\x9F" "e.de"},  // non-transitional
      {"p\xD0\xB0ypal.com", T::kDomain, "xn--pypal-4ve.com", "com", "p\xD0\xB0ypal.com"},  // mixed scripts
      {"ma\xC3\xB1" "ana.com", T::kDomain, "xn--maana-pta.com", "com", "ma\xC3\xB1" "ana.com"},
      {"www.\xD0\xBF\xD1\x80\xD0\xB8\xD0\xBC\xD0\xB5\xD1\x80.\xD1\x80\xD1\x84", T::kDomain, "xn--e1afmkfd.xn--p1ai",
       "xn--p1ai", "\xD0\xBF\xD1\x80\xD0\xB8\xD0\xBC\xD0\xB5\xD1\x80.\xD1\x80\xD1\x84"},
      {"\xD9\x85\xDB\x8C\xE2\x80\x8C\xD8\xAE\xD9\x88\xD8\xA7\xD9\x87\xD9\x85.ir", T::kDomain,
       "xn--mgbn2ecje63gr19l.ir", "ir",
       "\xD9\x85\xDB\x8C\xE2\x80\x8C\xD8\xAE\xD9\x88\xD8\xA7\xD9\x87\xD9\x85.ir"},  // ZWNJ in Persian
      {"example.\xE5\x85\xAC\xE5\x8F\xB8.cn", T::kDomain, "example.xn--55qx5d.cn", "xn--55qx5d.cn",
       "example.\xE5\x85\xAC\xE5\x8F\xB8.cn"},
      // IP addresses and networks.
      {"8.8.8.8", T::kIp, "8.8.8.8"},
      {" 8.8.8.8 ", T::kIp, "8.8.8.8"},
      {"http://8.8.8.8/", T::kIp, "8.8.8.8"},
      {"http://8.8.8.8:53", T::kIp, "8.8.8.8"},
      {"2001:DB8:0:0:0:0:0:1", T::kIp, "2001:db8::1"},
      {"2001:db8::1", T::kIp, "2001:db8::1"},
      {"[2001:DB8::1]", T::kIp, "2001:db8::1"},
      {"http://[2001:db8::1]:8080/", T::kIp, "2001:db8::1"},
      {"https://user@[::1]/", T::kIp, "::1"},
      {"::ffff:8.8.8.8", T::kIp, "8.8.8.8"},
      {"10.0.0.0/8", T::kIp, "10.0.0.0/8"},
      {"10.1.2.3/8", T::kIp, "10.0.0.0/8"},
      {"192.168.1.77/26", T::kIp, "192.168.1.64/26"},
      {"0.0.0.0/0", T::kIp, "0.0.0.0/0"},
      {"8.8.8.8/32", T::kIp, "8.8.8.8/32"},
      {"2001:db8::1/32", T::kIp, "2001:db8::/32"},
      {"2001:DB8:ABCD:12::/64", T::kIp, "2001:db8:abcd:12::/64"},
      {"2001:db8::ff/121", T::kIp, "2001:db8::80/121"},
      {"[2001:db8::1]/48", T::kIp, "2001:db8::/48"},
      // AS numbers: "AS", any case, asdot, or a bare number.
      {"AS15169", T::kAs, "AS15169"},
      {"as15169", T::kAs, "AS15169"},
      {"15169", T::kAs, "AS15169"},
      {"AS015169", T::kAs, "AS15169"},
      {"AS4200000000", T::kAs, "AS4200000000"},
      {"4294967295", T::kAs, "AS4294967295"},
      {"AS1.10", T::kAs, "AS65546"},
      {"AS0", T::kAs, "AS0"},
      {"AS15169\r\n", T::kAs, "AS15169"},
  };
}

struct Invalid {
  std::string input;
  std::string reason;  // a substring of the error message
};

std::vector<Invalid> InvalidCases() {
  std::string name254 = kLabel63 + "." + kLabel63 + "." + kLabel63 + "." + std::string(62, 'b');
  return {
      {"", "empty"},
      {"   ", "empty"},
      {"\r\n", "empty"},
      // Query injection: nothing beyond the name may reach a server.
      {"example.com\r\nfoo", "CR"},
      {"example.com\nfoo", "LF"},
      {std::string("example.com\0evil", 16), "NUL"},
      {"example.com foo", "space"},
      {"-T dn example.de", "space"},
      {"AS 15169", "space"},
      {"http://ex ample.com", "space"},
      {"http://example.com/a b", "space"},
      {"exa\tmple.com", "control byte"},
      {"example.com\x7f", "control byte"},
      {"example\x1b[31m.com", "control byte"},
      {"ex\xE2\x80\x8B" "ample.com", "U+200B"},   // zero-width space
      {"example.com\xC2\xA0", "U+00A0"},          // no-break space
      {"\xC2\xA0" "example.com", "U+00A0"},
      {"ex\xE3\x80\x80" "ample.com", "U+3000"},   // ideographic space
      {"ex\xC2\xAD" "ample.com", "U+00AD"},       // soft hyphen
      {"example.com\xE2\x80\xAE", "U+202E"},      // right-to-left override
      {"example.com\xC2\x85", "U+0085"},          // next line (C1)
      {"example\xEF\xBB\xBF.com", "U+FEFF"},
      {"\xFF\xFE.com", "invalid UTF-8"},
      {"\xC0\xAE.com", "invalid UTF-8"},          // overlong '.'
      {"\xED\xA0\x80.com", "invalid UTF-8"},      // surrogate
      // Labels and names.
      {"a..b.com", "empty label"},
      {"example..com", "empty label"},
      {"example.com..", "empty label"},
      {"..uk", "empty label"},
      {".", "empty host name"},
      {"-example.com", "starts or ends with '-'"},
      {"example-.com", "starts or ends with '-'"},
      {kLabel64 + ".com", "longer than 63"},
      {name254, "longer than 253"},
      {"user@example.com", "'@'"},
      {"example.com@evil.com", "'@'"},
      {"exa$mple.com", "forbidden character '$'"},
      {"exa%41mple.com", "forbidden character '%'"},
      {"example.com\\evil", "forbidden character '\\'"},
      {"exa\"mple.com", "forbidden character"},
      {"a_b.com", "'_'"},
      {"foo.a_b", "'_'"},
      {"foo.123", "numeric top-level label"},
      // IDNA.
      {"xn--bcher-kvb.de", "invalid IDN label"},
      {"xn--zz.com", "invalid IDN label"},
      {"x\xE2\x80\x8Cy.com", "invalid IDN label"},  // ZWNJ out of context
      {"\xD9\xA3" "a.com", "invalid IDN label"},    // bidi rule
      {"\xC2\xBD.com", "invalid IDN label"},        // disallowed
      {"\xEF\xBD\x81\xEF\xBC\x8F\xEF\xBD\x82.com", "forbidden character '/'"},  // full-width solidus
      {"\xE2\x92\x88" "example.com", "invalid IDN label"},  // U+2488 DIGIT ONE FULL STOP
      {"a\xE2\x80\xA4" "b.com", "invalid IDN label"},     // U+2024 ONE DOT LEADER
      // URLs.
      {"https://example.com:99999/", "invalid port"},
      {"https://example.com:8a/", "invalid port"},
      {"example.com:-1", "invalid port"},
      {"http:/example.com", "empty port"},
      {"example.com:", "empty port"},
      {"http://:80/", "empty host"},
      {"https:///path", "empty host"},
      {"http://[2001:db8::1", "unterminated"},
      {"http://[::1]x/", "after ']'"},
      {"[1.2.3.4]", "invalid IPv6"},
      {"[1.2.3.4]/8", "invalid IPv6 address in CIDR"},
      {"[2001:db8::]/abc", "prefix length"},
      // Addresses.
      {"256.1.1.1", "invalid IPv4"},
      {"1.2.3", "invalid IPv4"},
      {"1.2", "invalid IPv4"},
      {"010.1.1.1", "invalid IPv4"},
      {"1.2.3.4.5", "invalid IPv4"},
      {"http://15169/", "invalid IPv4"},
      {"2001:db8::g", "invalid IPv6"},
      {"2001:db8:::1", "invalid IPv6"},
      {"fe80::1%eth0", "invalid IPv6"},
      {"10.0.0.0/33", "prefix length must be 0-32"},
      {"10.0.0.0/", "prefix length"},
      {"10.0.0.0/8/9", "prefix length"},
      {"8.8.8.8/index.html", "prefix length"},
      {"2001:db8::/129", "prefix length must be 0-128"},
      {"300.0.0.0/8", "invalid IPv4 address in CIDR"},
      // AS numbers.
      {"AS4294967296", "AS number"},
      {"99999999999", "AS number"},
      {"AS1.65536", "AS number"},
      {"AS1.2.3", "AS number"},
      // Size.
      {std::string(20000, 'a'), "longer than"},
  };
}

TEST(Normalize, ValidInputs) {
  std::vector<Valid> cases = ValidCases();
  for (const Valid& c : cases) {
    auto r = Normalize(c.input);
    ASSERT_TRUE(r.ok()) << "input " << Show(c.input) << ": " << r.status().ToString();
    EXPECT_EQ(r->input, c.input) << "input " << Show(c.input);
    EXPECT_EQ(TypeName(r->type), std::string(TypeName(c.type))) << "input " << Show(c.input);
    EXPECT_EQ(r->normalized, c.normalized) << "input " << Show(c.input);
    EXPECT_EQ(r->unicode, c.unicode) << "input " << Show(c.input);
    if (c.type == QueryType::kDomain || c.type == QueryType::kTld) {
      EXPECT_EQ(r->suffix, c.suffix) << "input " << Show(c.input);
      std::string last = c.normalized.substr(c.normalized.rfind('.') + 1);
      EXPECT_EQ(r->tld, c.normalized.find('.') == std::string::npos ? c.normalized : last)
          << "input " << Show(c.input);
    } else {
      EXPECT_EQ(r->tld, "") << "input " << Show(c.input);
      EXPECT_EQ(r->suffix, "") << "input " << Show(c.input);
    }
  }
  EXPECT_GE(cases.size() + InvalidCases().size(), 70u);
}

TEST(Normalize, InvalidInputsAreRefusedWithAReason) {
  for (const Invalid& c : InvalidCases()) {
    auto r = Normalize(c.input);
    ASSERT_FALSE(r.ok()) << "input " << Show(c.input) << " gave " << r->normalized;
    EXPECT_EQ(r.status().code(), ErrorCode::kInvalidQuery) << "input " << Show(c.input);
    EXPECT_NE(r.status().message().find(c.reason), std::string::npos)
        << "input " << Show(c.input) << ": message \"" << r.status().message()
        << "\" lacks \"" << c.reason << "\"";
  }
}

TEST(Normalize, TrailingLineEndIsTrimmedNotKept) {
  auto r = Normalize("example.com\r");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->normalized, "example.com");
}

TEST(Normalize, ErrorMessagesDoNotEchoControlBytes) {
  auto r = Normalize(std::string("evil.com\r\n\x1b[2J\0", 14));
  ASSERT_FALSE(r.ok());
  for (char c : r.status().message()) {
    EXPECT_FALSE(static_cast<unsigned char>(c) < 0x20 || c == 0x7F) << Show(r.status().message());
  }
}

TEST(Normalize, SameKeyForEquivalentInputs) {
  const std::vector<std::string> same = {"WWW.EXAMPLE.COM", "https://example.com/", "example.com.",
                                         "http://user:pw@shop.Example.com:8080/a?b#c", "example.com"};
  for (const std::string& input : same) {
    auto r = Normalize(input);
    ASSERT_TRUE(r.ok()) << Show(input) << ": " << r.status().ToString();
    EXPECT_EQ(r->normalized, "example.com") << Show(input);
  }
}

// Whatever the input, an accepted query holds only letters, digits and
// ".-:/" (and the "AS" prefix): nothing a WHOIS server could read as a flag,
// a second query or a line end. A small deterministic fuzz over hostile bytes.
TEST(Normalize, AcceptedFormsContainOnlySafeCharacters) {
  const std::vector<std::string> pieces = {"ex", "com", ".de", ".uk", "b", "a",  "Z", "0",  ".",  "-", "_", ":", "/",  "@", "[", "]",
                                           " ",  "\r", "\n", "\t", "%", "\xC3\xBC", "\xE3\x80\x82",
                                           "\xE2\x80\x8B", "\xEF\xBC\x8F", "xn--", "//", "http://", "AS", "1"};
  uint32_t seed = 12345;
  size_t accepted = 0;
  for (int i = 0; i < 100000; ++i) {
    std::string input;
    int n = 1 + static_cast<int>(seed % 12);
    for (int k = 0; k < n; ++k) {
      seed = seed * 1664525u + 1013904223u;
      input += pieces[(seed >> 16) % pieces.size()];
    }
    auto r = Normalize(input);
    if (!r.ok()) {
      EXPECT_EQ(r.status().code(), ErrorCode::kInvalidQuery) << Show(input);
      continue;
    }
    ++accepted;
    ASSERT_FALSE(r->normalized.empty()) << Show(input);
    for (char c : r->normalized) {
      bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
                c == ':' || c == '/' || c == 'A' || c == 'S';
      ASSERT_TRUE(ok) << Show(input) << " -> " << Show(r->normalized);
    }
    ASSERT_NE(r->normalized.front(), '-') << Show(input);
  }
  // The generator must reach the accepting paths, or the test proves nothing.
  EXPECT_GT(accepted, 3000u);  // 5,924 with this seed
}

TEST(PublicSuffix, UsesDebiansListWhenInstalled) {
  if (!std::filesystem::exists(internal::kPslDafsaPath)) {
    EXPECT_EQ(internal::PslSource(), "libpsl built-in");
    return;
  }
  EXPECT_EQ(internal::PslSource(), internal::kPslDafsaPath);
  const std::string host = "a.b.example.co.uk";
  EXPECT_EQ(internal::IcannPublicSuffix(host), "co.uk");
  const std::string pages = "user.github.io";
  EXPECT_EQ(internal::IcannPublicSuffix(pages), "io");  // private section ignored
}

TEST(TypeName, StableStrings) {
  EXPECT_STREQ(TypeName(QueryType::kDomain), "domain");
  EXPECT_STREQ(TypeName(QueryType::kIp), "ip");
  EXPECT_STREQ(TypeName(QueryType::kAs), "AS");
  EXPECT_STREQ(TypeName(QueryType::kTld), "tld");
}

}  // namespace
}  // namespace whoisq::resolve
