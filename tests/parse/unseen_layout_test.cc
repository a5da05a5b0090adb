// Answers shaped like servers that have no row in server_rules.cc and no
// fixture in the dev corpus (written from their published formats, values
// made up). They must parse with the generic tables alone.
#include <gtest/gtest.h>

#include "worker/parse/parser.h"

namespace whoisq::parse {
namespace {

struct UnseenCase {
  const char* name;
  const char* text;
  const char* registered;
  const char* domain;
  const char* created;
  const char* expires;
  const char* sponsor;
  std::vector<std::string> nameservers;
  const char* owner;  // owner name or organization, "" when not checked
};

std::vector<UnseenCase> Cases() {
  return {
      {"nominet",
       "\n    Domain name:\n        example.co.uk\n\n    Data validation:\n"
       "        Nominet was able to match the registrant's name and address.\n\n"
       "    Registrar:\n        Example Registrar Ltd [Tag = EXAMPLE]\n"
       "        URL: https://registrar.example\n\n    Relevant dates:\n"
       "        Registered on: 14-Feb-1999\n        Expiry date:  14-Feb-2025\n"
       "        Last updated:  13-Jan-2024\n\n    Registration status:\n"
       "        Registered until expiry date.\n\n    Name servers:\n"
       "        ns1.example.net\n        ns2.example.net\n\n"
       "    WHOIS lookup made at 10:00:00 01-Jan-2024\n",
       "yes", "example.co.uk", "1999-02-14", "2025-02-14", "Example Registrar Ltd",
       {"ns1.example.net", "ns2.example.net"}, ""},
      {"nic.it",
       "Domain:             example.it\nStatus:             ok\nSigned:             no\n"
       "Created:            1999-12-10 00:00:00\nLast Update:        2024-05-26 00:54:10\n"
       "Expire Date:        2025-04-21\n\nRegistrant\n  Organization:     Example S.p.A.\n"
       "  Address:          Via Roma 1\n                    Milano\n\nAdmin Contact\n"
       "  Name:             Mario Rossi\n  Organization:     Example S.p.A.\n\n"
       "Registrar\n  Organization:     Example Registrar Srl\n  Name:             EXAMPLE-REG\n"
       "  Web:              https://www.example-registrar.it\n\nNameservers\n"
       "  ns1.example.it\n  ns2.example.it\n",
       "yes", "example.it", "1999-12-10", "2025-04-21", "Example Registrar Srl",
       {"ns1.example.it", "ns2.example.it"}, "Example S.p.A."},
      {"ficora",
       "domain.............: example.fi\nstatus.............: Registered\n"
       "created............: 30.6.2006 13:18:08\nexpires............: 3.7.2025 10:36:56\n"
       "available..........: 3.8.2025 10:36:56\nmodified...........: 2.6.2024 12:40:44\n\n"
       "Nameservers\n\nnserver............: ns1.example.fi [Technical Error]\n"
       "nserver............: ns2.example.fi [OK]\n\ndnssec.............: no\n\nHolder\n\n"
       "name...............: Example Oy\nholder email.......: \n\nRegistrar\n\n"
       "registrar..........: Example Registrar Oy\nwww................: www.example.fi\n",
       "yes", "example.fi", "2006-06-30", "2025-07-03", "Example Registrar Oy",
       {"ns1.example.fi", "ns2.example.fi"}, "Example Oy"},
      {"kisa",
       "query : example.co.kr\n\nDomain Name                 : example.co.kr\n"
       "Registrant                  : Example Korea, LLC\n"
       "Administrative Contact(AC)  : Domain Admin\nAC E-Mail                   : admin@example.kr\n"
       "Registered Date             : 1999. 08. 26.\nLast Updated Date           : 2024. 07. 19.\n"
       "Expiration Date             : 2025. 08. 26.\nAuthorized Agency           : Example Agency\n\n"
       "Primary Name Server\n   Host Name                : ns1.example.kr\n"
       "Secondary Name Server\n   Host Name                : ns2.example.kr\n",
       "yes", "example.co.kr", "1999-08-26", "2025-08-26", "Example Agency",
       {"ns1.example.kr", "ns2.example.kr"}, "Example Korea, LLC"},
      {"internet.ee",
       "Estonia .ee Top Level Domain WHOIS server\n\nDomain:\nname:       example.ee\n"
       "status:     ok (paid and in zone)\nregistered: 2010-07-04 03:12:11 +03:00\n"
       "changed:    2024-06-04 10:34:52 +03:00\nexpire:     2025-07-05\n\nRegistrant:\n"
       "name:       Example OU\nemail:      Not Disclosed - Visit www.internet.ee for webbased WHOIS\n\n"
       "Registrar:\nname:       Example Registrar OU\nurl:        http://www.example.ee\n\n"
       "Name servers:\nnserver:   ns1.example.ee\nnserver:   ns2.example.ee\n",
       "yes", "example.ee", "2010-07-04", "2025-07-05", "Example Registrar OU",
       {"ns1.example.ee", "ns2.example.ee"}, "Example OU"},
      {"nic.ar",
       "domain:\t\texample.com.ar\nregistrant:\t50023810\nregistrar:\tnicar\n"
       "registered:\t2003-11-10 00:00:00\nchanged:\t2024-01-02 10:00:00\nexpire:\t\t2025-11-10 00:00:00\n\n"
       "contact:\t50023810\nname:\t\tEXAMPLE ARGENTINA SRL\nregistrar:\tnicar\ncreated:\t2013-08-19\n\n"
       "nsset:\t\tEX1\nnserver:\tns1.example.com ()\nnserver:\tns2.example.com ()\n",
       "yes", "example.com.ar", "2003-11-10", "2025-11-10", "nicar",
       {"ns1.example.com", "ns2.example.com"}, "EXAMPLE ARGENTINA SRL"},
      {"isnic",
       "% This is the ISNIC Whois server.\n\ndomain:       example.is\nregistrant:   EX24-IS\n"
       "admin-c:      EX25-IS\nnserver:      ns1.example.is\nnserver:      ns2.example.is\n"
       "created:      June 13 2002\nexpires:      June 13 2025\nsource:       ISNIC\n\n"
       "role:         Example ehf.\nnic-hdl:      EX24-IS\naddress:      Laugavegur 1\n"
       "e-mail:       info@example.is\ncreated:      June 13 2002\nsource:       ISNIC\n",
       "yes", "example.is", "2002-06-13", "2025-06-13", "",
       {"ns1.example.is", "ns2.example.is"}, "Example ehf."},
      {"gtld redacted",
       "Domain Name: EXAMPLE.ORG\nRegistry Domain ID: 123_DOMAIN_ORG-VRSN\n"
       "Updated Date: 2024-01-01T00:00:00.000Z\nCreation Date: 2000-01-01T00:00:00.000Z\n"
       "Registry Expiry Date: 2030-01-01T00:00:00.000Z\nRegistrar: Example Registrar, LLC\n"
       "Registrant Name: REDACTED FOR PRIVACY\nRegistrant Organization: Example Foundation\n"
       "Registrant Email: Please query the RDDS service of the Registrar of Record identified in "
       "this output for information on how to contact the Registrant, Admin, or Tech contact of "
       "the queried domain name.\nName Server: NS1.EXAMPLE.ORG\nName Server: NS2.EXAMPLE.ORG\n"
       "DNSSEC: unsigned\n>>> Last update of WHOIS database: 2024-01-02T00:00:00Z <<<\n",
       "yes", "example.org", "2000-01-01", "2030-01-01", "Example Registrar, LLC",
       {"ns1.example.org", "ns2.example.org"}, "Example Foundation"},
      {"gtld not found",
       "Domain not found.\n>>> Last update of WHOIS database: 2024-01-02T00:00:00Z <<<\n"
       "Terms of Use: Access to WHOIS information is provided to assist persons ...\n",
       "no", "", "", "", "", {}, ""},
      {"afnic not found",
       "%%\n%% This is the AFNIC Whois server.\n%%\n\n%% No entries found in the AFNIC Database.\n",
       "no", "", "", "", "", {}, ""},
      {"iana referral kept in front",
       "% IANA WHOIS server\n% for more information on IANA, visit http://www.iana.org\n"
       "% This query returned 1 object\n\nrefer:        whois.nic.ac\n\ndomain:       AC\n\n"
       "organisation: Internet Computer Bureau Limited\n\ncontact:      administrative\n"
       "name:         Admin\n\nnserver:      A0.NIC.AC 65.22.160.17\n\n"
       "created:      1997-12-19\nchanged:      2023-01-01\nsource:       IANA\n\n"
       "# whois.nic.ac\n\nDomain Name: example.ac\nCreation Date: 2005-05-05T00:00:00Z\n"
       "Registry Expiry Date: 2025-05-05T00:00:00Z\nRegistrar: Example Registrar\n"
       "Name Server: ns1.example.ac\n",
       "yes", "example.ac", "2005-05-05", "2025-05-05", "Example Registrar", {"ns1.example.ac"}, ""},
      {"dns.lu",
       "% Access to RESTENA DNS-LU WHOIS information is provided to assist persons\n"
       "domainname:     example.lu\ndomaintype:     ACTIVE\nnserver:        ns1.example.lu\n"
       "nserver:        ns2.example.lu\nownertype:      ORGANISATION\norg-name:       Example S.A.\n"
       "org-country:    LU\nregistrar-name:         Example Registrar\n"
       "registrar-url:          http://www.example-registrar.lu/\n",
       "yes", "example.lu", "", "", "Example Registrar", {"ns1.example.lu", "ns2.example.lu"},
       "Example S.A."},
      {"nic.kz",
       "Whois Server for the KZ top level domain name.\n\n"
       "Domain Name............: example.kz\n\nOrganization Using Domain Name\n"
       "Name...................: Example LLP\nOrganization Name......: Example LLP\n\n"
       "Administrative Contact/Agent\nNIC Handle.............: HOIKZ-00001\n"
       "Name...................: Admin Person\nEmail Address..........: admin@example.kz\n\n"
       "Nameserver in listed order\n\nPrimary server.........: ns1.example.kz\n"
       "Primary ip address.....: 192.0.2.1\n\nSecondary server.......: ns2.example.kz\n"
       "Secondary ip address...: 192.0.2.2\n\n"
       "Domain created: 2004-09-16 15:00:00 (GMT+0:00)\nLast modified : 2024-08-29 10:01:51 (GMT+0:00)\n"
       "Domain status : ok - Normal state.\nRegistar created: HOSTER.KZ\nCurrent Registar: HOSTER.KZ\n",
       "yes", "example.kz", "2004-09-16", "", "HOSTER.KZ", {"ns1.example.kz", "ns2.example.kz"}, ""},
      {"hkirc given names",
       "Domain Name:  EXAMPLE.HK\nRegistrar Name: Example Registrar\n"
       "Domain Name Commencement Date: 06-04-2004\nExpiry Date: 31-03-2025\n"
       "Administrative Contact Information:\nGiven name: Chan\nFamily name: Tai Man\n"
       "Company name: EXAMPLE LTD.\nName Servers Information:\nNS1.EXAMPLE.HK\n",
       "yes", "example.hk", "2004-04-06", "2025-03-31", "Example Registrar", {"ns1.example.hk"}, ""},
      {"nic.at",
       "%  Copyright (c)2024 by NIC.AT (1)\n\ndomain:         example.at\n"
       "registrar:      Example Registrar Inc. ( https://nic.at/registrar/434 )\n"
       "registrant:     EX7803022-NICAT\ntech-c:         EX1919751-NICAT\n"
       "nserver:        ns1.example.at\nremarks:        192.0.2.1\nnserver:        ns2.example.at\n"
       "changed:        20110728 19:14:37\nsource:         AT-DOM\n\npersonname:     \n"
       "organization:   Example GmbH\nstreet address: Ring 1\npostal code:    1010\n"
       "city:           Wien\ncountry:        Austria\ne-mail:         office@example.at\n"
       "nic-hdl:        EX7803022-NICAT\nchanged:        20111010 09:54:24\nsource:         AT-DOM\n",
       "yes", "example.at", "", "", "Example Registrar Inc.", {"ns1.example.at", "ns2.example.at"},
       "Example GmbH"},
      {"tci without a row",
       "domain:        EXAMPLE.RU\nnserver:       ns1.example.ru.\nnserver:       ns2.example.ru.\n"
       "state:         REGISTERED, DELEGATED, VERIFIED\norg:           Example LLC\n"
       "registrar:     RU-CENTER-RU\nadmin-contact: https://www.nic.ru/whois\n"
       "created:       2004-03-03T21:00:00Z\npaid-till:     2025-03-04T21:00:00Z\n"
       "free-date:     2025-04-05\nsource:        TCI\n",
       "yes", "example.ru", "2004-03-03", "2025-03-04", "RU-CENTER-RU",
       {"ns1.example.ru", "ns2.example.ru"}, "Example LLC"},
      {"switch",
       "Domain name:\nexample.ch\n\nHolder of domain name:\nExample AG\nHans Muster\n"
       "Bahnhofstrasse 1\nCH-8001 Zurich\nSwitzerland\n\nRegistrar:\nExample Registrar AG\n\n"
       "DNSSEC:N\n\nName servers:\nns1.example.ch\nns2.example.ch\n\n"
       "First registration date:\n1999-04-14\n",
       "yes", "example.ch", "1999-04-14", "", "Example Registrar AG",
       {"ns1.example.ch", "ns2.example.ch"}, "Example AG"},
      {"godaddy",
       "Domain Name: EXAMPLE.COM\nRegistrar WHOIS Server: whois.godaddy.com\n"
       "Updated Date: 2024-01-01T10:00:00Z\nCreation Date: 1999-03-02T05:00:00Z\n"
       "Registrar Registration Expiration Date: 2027-03-02T05:00:00Z\nRegistrar: GoDaddy.com, LLC\n"
       "Registrant Name: Registration Private\nRegistrant Organization: Domains By Proxy, LLC\n"
       "Registrant Email: Select Contact Domain Holder link at "
       "https://www.godaddy.com/whois/results.aspx?domain=example.com\n"
       "Name Server: NS1.EXAMPLE.COM\nName Server: NS2.EXAMPLE.COM\nDNSSEC: unsigned\n",
       "yes", "example.com", "1999-03-02", "2027-03-02", "GoDaddy.com, LLC",
       {"ns1.example.com", "ns2.example.com"}, "Domains By Proxy, LLC"},
      {"auDA",
       "Domain Name: example.com.au\nRegistry Domain ID: D4074-AU\n"
       "Last Modified: 2024-04-18T05:05:49Z\nRegistrar Name: Example Registrar Pty Ltd\n"
       "Status: serverRenewProhibited https://identitydigital.au/get-au/whois-status-codes\n"
       "Registrant Contact Name: Domain Administrator\nName Server: ns1.example.com.au\n"
       "DNSSEC: unsigned\nRegistrant: Example Pty Ltd\nRegistrant ID: ABN 33102417032\n",
       "yes", "example.com.au", "", "", "Example Registrar Pty Ltd", {"ns1.example.com.au"},
       "Example Pty Ltd"},
      {"nominet registrant blocks",
       "\n    Domain name:\n        example.co.uk\n\n    Registrant:\n        Example Ltd\n\n"
       "    Registrant type:\n        UK Limited Company\n\n    Registrant's address:\n"
       "        1 High Street\n        London\n        SW1A 1AA\n        United Kingdom\n\n"
       "    Registrar:\n        Example Registrar Ltd [Tag = EXAMPLE]\n\n    Relevant dates:\n"
       "        Registered on: 01-Jan-2000\n        Expiry date:  01-Jan-2030\n\n"
       "    Name servers:\n        ns1.example.co.uk\n\n",
       "yes", "example.co.uk", "2000-01-01", "2030-01-01", "Example Registrar Ltd",
       {"ns1.example.co.uk"}, "Example Ltd"},
      {"nic.ar not found", "El dominio no se encuentra registrado en NIC Argentina\n", "no", "", "",
       "", "", {}, ""},
  };
}

TEST(UnseenLayouts, ParseWithGenericTablesOnly) {
  for (const UnseenCase& c : Cases()) {
    schema::Record r = Parse(c.text, ParseOptions{"whois.unknown-to-the-table.example", ""});
    const schema::RegrInfo& g = r.regrinfo;
    EXPECT_EQ(g.registered, c.registered) << "input: " << c.name;
    EXPECT_EQ(g.domain.name, c.domain) << "input: " << c.name;
    EXPECT_EQ(g.domain.created, c.created) << "input: " << c.name;
    EXPECT_EQ(g.domain.expires, c.expires) << "input: " << c.name;
    if (*c.sponsor != '\0') {
      EXPECT_EQ(g.domain.sponsor, c.sponsor) << "input: " << c.name;
    }
    std::vector<std::string> hosts;
    for (const auto& [host, ip] : g.domain.nserver) hosts.push_back(host);
    EXPECT_EQ(hosts, c.nameservers) << "input: " << c.name;
    if (*c.owner != '\0') {
      EXPECT_TRUE(g.owner.name == c.owner || g.owner.organization == c.owner)
          << "input: " << c.name << " owner name \"" << g.owner.name << "\" org \""
          << g.owner.organization << "\"";
    }
  }
}


TEST(UnseenLayout, SentenceInATermsNoticeIsNotAKey) {
  // Verisign's not-found answer: "...the sponsoring registrar.  Users may
  // consult..." must not become the sponsor.
  const char* text =
      "No match for \"NX-FREE.NET\".\n"
      ">>> Last update of whois database: 2026-01-01T00:00:00Z <<<\n\n"
      "NOTICE: The expiration date displayed in this record is the date the\n"
      "currently set to expire. This date does not necessarily reflect the\n"
      "sponsoring registrar.  Users may consult the sponsoring registrar's\n"
      "Whois database to view the registrar's reported date of expiration\n";
  schema::Record r = Parse(text, ParseOptions{"whois.verisign-grs.com", "nx-free.net"});
  EXPECT_EQ(r.regrinfo.registered, "no");
  EXPECT_EQ(r.regrinfo.domain.sponsor, "");
  // A dotted leader is still a key.
  schema::Record d = Parse("Registrar......  Example Registrar, Inc.\n", ParseOptions{});
  EXPECT_EQ(d.regrinfo.domain.sponsor, "Example Registrar, Inc.");
}

}  // namespace
}  // namespace whoisq::parse
