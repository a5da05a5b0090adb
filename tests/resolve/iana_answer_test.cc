#include "resolve/iana_answer.h"

#include <gtest/gtest.h>

#include <string>

namespace whoisq::resolve {
namespace {

// Shape of a real whois.iana.org answer for a TLD (abridged, CRLF line ends).
constexpr const char* kIanaCom =
    "% IANA WHOIS server\r\n"
    "% for more information on IANA, visit http://www.iana.org\r\n"
    "% This query returned 1 object\r\n"
    "\r\n"
    "refer:        whois.verisign-grs.com\r\n"
    "\r\n"
    "domain:       COM\r\n"
    "\r\n"
    "organisation: VeriSign Global Registry Services\r\n"
    "address:      12061 Bluemont Way\r\n"
    "address:      Reston VA 20190\r\n"
    "address:      United States of America (the)\r\n"
    "\r\n"
    "contact:      administrative\r\n"
    "name:         Registry Customer Service\r\n"
    "e-mail:       info@verisign-grs.com\r\n"
    "\r\n"
    "nserver:      A.GTLD-SERVERS.NET 192.5.6.30 2001:503:a83e:0:0:0:2:30\r\n"
    "ds-rdata:     19718 13 2 8acbb0cd28f41250a80a491389424d341522d946b0da0c0291f2d3d771d7805a\r\n"
    "\r\n"
    "whois:        whois.verisign-grs.com\r\n"
    "\r\n"
    "status:       ACTIVE\r\n"
    "remarks:      Registration information: http://www.verisigninc.com\r\n"
    "\r\n"
    "created:      1985-01-01\r\n"
    "changed:      2023-12-07\r\n"
    "source:       IANA\r\n";

// A TLD object with only a "whois:" line, mixed case, trailing dot.
constexpr const char* kIanaWhoisOnly =
    "% IANA WHOIS server\n"
    "\n"
    "domain:       UK\n"
    "organisation: Nominet UK\n"
    "whois:        Whois.Nic.UK.\n"
    "status:       ACTIVE\n";

// An IP answer: refer first, then the object with its own whois line.
constexpr const char* kIanaIp =
    "% IANA WHOIS server\n"
    "% This query returned 1 object\n"
    "\n"
    "refer:        whois.arin.net\n"
    "\n"
    "inetnum:      8.0.0.0 - 8.255.255.255\n"
    "organisation: ARIN\n"
    "status:       ALLOCATED\n"
    "\n"
    "whois:        whois.arin.net\n"
    "\n"
    "changed:      1992-12\n"
    "source:       IANA\n";

// A TLD without a WHOIS server: the "whois:" line is present but empty.
constexpr const char* kIanaNoServer =
    "% IANA WHOIS server\n"
    "\n"
    "domain:       CH\n"
    "organisation: SWITCH The Swiss Education & Research Network\n"
    "whois:        \n"
    "status:       ACTIVE\n";

TEST(IanaWhoisServer, ReferLine) {
  EXPECT_EQ(IanaWhoisServer(kIanaCom), "whois.verisign-grs.com");
  EXPECT_EQ(IanaWhoisServer(kIanaIp), "whois.arin.net");
}

TEST(IanaWhoisServer, WhoisLineTrimmedAndLowerCased) {
  EXPECT_EQ(IanaWhoisServer(kIanaWhoisOnly), "whois.nic.uk");
}

TEST(IanaWhoisServer, NoneWhenAbsentOrEmpty) {
  EXPECT_EQ(IanaWhoisServer(kIanaNoServer), std::nullopt);
  EXPECT_EQ(IanaWhoisServer(""), std::nullopt);
  EXPECT_EQ(IanaWhoisServer("% This query returned 0 objects.\n"), std::nullopt);
}

TEST(IanaWhoisServer, RefusesValuesThatAreNotHostNames) {
  EXPECT_EQ(IanaWhoisServer("refer: whois.example.com\r\nsomething\n"), "whois.example.com");
  EXPECT_EQ(IanaWhoisServer("refer: whois://whois.example.com\n"), std::nullopt);
  EXPECT_EQ(IanaWhoisServer("refer: whois.example.com:4321\n"), std::nullopt);
  EXPECT_EQ(IanaWhoisServer("refer: evil.com foo\n"), std::nullopt);
  EXPECT_EQ(IanaWhoisServer("refer: -bad.example.com\n"), std::nullopt);
  EXPECT_EQ(IanaWhoisServer("refer: a..b\n"), std::nullopt);
  EXPECT_EQ(IanaWhoisServer("refer: " + std::string(64, 'a') + ".com\n"), std::nullopt);
  // A bad refer: does not hide a good whois: line.
  EXPECT_EQ(IanaWhoisServer("refer: http://x/\nwhois: whois.nic.example\n"), "whois.nic.example");
}

TEST(IanaWhoisServer, KeyMustStartTheLine) {
  EXPECT_EQ(IanaWhoisServer("remarks: refer: whois.evil.example\n"), std::nullopt);
}

}  // namespace
}  // namespace whoisq::resolve
