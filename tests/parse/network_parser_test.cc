#include <gtest/gtest.h>

#include "worker/parse/parser.h"

namespace whoisq::parse {
namespace {

TEST(NetworkLayout, ReadsRipeInetnumAndAutNum) {
  const char* text =
      "% This is the RIPE Database query service.\n\n"
      "inetnum:        193.0.0.0 - 193.0.7.255\n"
      "netname:        RIPE-NCC\n"
      "descr:          RIPE Network Coordination Centre\n"
      "country:        NL\n"
      "status:         ASSIGNED PA\n"
      "mnt-by:         RIPE-NCC-MNT\n"
      "created:        2003-03-17T12:15:57Z\n"
      "last-modified:  2017-12-04T14:42:31Z\n"
      "source:         RIPE\n\n"
      "organisation:   ORG-RIEN1-RIPE\n"
      "org-name:       Reseaux IP Europeens Network Coordination Centre (RIPE NCC)\n"
      "abuse-mailbox:  abuse@ripe.net\n\n"
      "route:          193.0.0.0/21\n"
      "origin:         AS3333\n\n"
      "aut-num:        AS3333\n"
      "as-name:        RIPE-NCC-AS\n"
      "mnt-by:         RIPE-NCC-MNT\n"
      "source:         RIPE\n";
  schema::Record r = Parse(text, ParseOptions{"whois.ripe.net", "193.0.0.1"});
  const schema::RegrInfo& g = r.regrinfo;
  EXPECT_EQ(g.registered, "yes");
  EXPECT_EQ(g.network.inetnum, "193.0.0.0 - 193.0.7.255");
  EXPECT_EQ(g.network.name, "RIPE-NCC");
  EXPECT_EQ(g.network.desc, (std::vector<std::string>{"RIPE Network Coordination Centre"}));
  EXPECT_EQ(g.network.country, "NL");
  EXPECT_EQ(g.network.status, "ASSIGNED PA");
  EXPECT_EQ(g.network.mnt_by, (std::vector<std::string>{"RIPE-NCC-MNT"}));
  EXPECT_EQ(g.network.created, "2003-03-17");
  EXPECT_EQ(g.network.changed, "2017-12-04");
  EXPECT_EQ(g.network.source, "RIPE");
  EXPECT_EQ(g.as.inetnum, "AS3333");
  EXPECT_EQ(g.as.name, "RIPE-NCC-AS");
  EXPECT_EQ(g.owner.organization,
            "Reseaux IP Europeens Network Coordination Centre (RIPE NCC)");
  EXPECT_EQ(g.abuse.email, "abuse@ripe.net");
  EXPECT_TRUE(g.domain.empty());
}

TEST(NetworkLayout, AutNumInsideAnInetnumIsTheOriginNotANewObject) {
  // registro.br / LACNIC: the first attribute names the object; the aut-num
  // further down belongs to the network.
  const char* text =
      "inetnum:     143.106.0.0/16\n"
      "aut-num:     AS53187\n"
      "abuse-c:     GRC\n"
      "owner:       Universidade Estadual de Campinas\n"
      "ownerid:     046.068.425/0001-33\n"
      "country:     BR\n"
      "created:     19890622\n"
      "changed:     20190904\n";
  schema::Record r = Parse(text, ParseOptions{"whois.registro.br", "143.106.10.1"});
  const schema::RegrInfo& g = r.regrinfo;
  EXPECT_EQ(g.network.inetnum, "143.106.0.0/16");
  EXPECT_EQ(g.network.country, "BR");
  EXPECT_EQ(g.network.created, "1989-06-22");
  EXPECT_EQ(g.network.changed, "2019-09-04");
  EXPECT_EQ(g.network.handle, "046.068.425/0001-33");
  EXPECT_EQ(g.as.inetnum, "AS53187");
  EXPECT_TRUE(g.as.country.empty());
  EXPECT_EQ(g.owner.organization, "Universidade Estadual de Campinas");
}

TEST(NetworkLayout, ReadsArinBlocks) {
  const char* text =
      "NetRange:       8.8.8.0 - 8.8.8.255\nCIDR:           8.8.8.0/24\nNetName:        GOGL\n"
      "NetHandle:      NET-8-8-8-0-2\nNetType:        Direct Allocation\n"
      "RegDate:        2023-12-28\nUpdated:        2023-12-28\n\n"
      "OrgName:        Google LLC\nOrgAbuseEmail:  network-abuse@google.com\n\n"
      "ASNumber:       15169\nASName:         GOOGLE\nASHandle:       AS15169\n";
  schema::Record r = Parse(text, ParseOptions{"whois.arin.net", "8.8.8.8"});
  const schema::RegrInfo& g = r.regrinfo;
  EXPECT_EQ(g.network.inetnum, "8.8.8.0 - 8.8.8.255");
  EXPECT_EQ(g.network.name, "GOGL");
  EXPECT_EQ(g.network.handle, "NET-8-8-8-0-2");
  EXPECT_EQ(g.network.status, "Direct Allocation");
  EXPECT_EQ(g.network.created, "2023-12-28");
  EXPECT_EQ(g.as.inetnum, "AS15169");
  EXPECT_EQ(g.as.name, "GOOGLE");
  EXPECT_EQ(g.as.handle, "AS15169");
  EXPECT_EQ(g.owner.organization, "Google LLC");
  EXPECT_EQ(g.abuse.email, "network-abuse@google.com");
}

}  // namespace
}  // namespace whoisq::parse
