#include "resolve/server_table.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace whoisq::resolve {
namespace {

struct Row {
  std::string tld, kind, status, host, tmpl, referral;
};

// Reads the source TSV independently of the library's embedded copy.
std::vector<Row> ReadSourceTsv() {
  std::ifstream in(WHOISQ_TLD_TSV_PATH);
  std::vector<Row> rows;
  std::string line;
  bool header = false;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    if (!header) {
      header = true;
      EXPECT_EQ(line.rfind("tld\tkind\tstatus\twhois_host\tquery_template\treferral\t", 0), 0u) << line;
      continue;
    }
    std::vector<std::string> f;
    std::stringstream ss(line);
    std::string field;
    while (std::getline(ss, field, '\t')) f.push_back(field);
    f.resize(12);
    rows.push_back({f[0], f[1], f[2], f[3], f[4], f[5]});
  }
  return rows;
}

TEST(ServerTable, EveryRowIsEmbedded) {
  std::vector<Row> rows = ReadSourceTsv();
  ASSERT_GT(rows.size(), 1500u);
  EXPECT_EQ(TldCount(), rows.size());
  size_t ok_rows = 0;
  for (const Row& row : rows) {
    const TldInfo* info = FindTld(row.tld);
    ASSERT_NE(info, nullptr) << row.tld;
    EXPECT_EQ(info->tld, row.tld);
    EXPECT_EQ(info->kind, row.kind) << row.tld;
    EXPECT_EQ(info->status, row.status) << row.tld;
    EXPECT_EQ(info->query_template, row.tmpl) << row.tld;
    EXPECT_EQ(info->thin, !row.referral.empty()) << row.tld;
    if (row.status == "ok") {
      ++ok_rows;
      EXPECT_FALSE(row.host.empty()) << row.tld;
      EXPECT_EQ(info->whois_host, row.host) << row.tld;
    }
  }
  EXPECT_GT(ok_rows, 1400u);
}

TEST(ServerTable, SpotChecks) {
  const TldInfo* com = FindTld("com");
  ASSERT_NE(com, nullptr);
  EXPECT_EQ(com->whois_host, "whois.verisign-grs.com");
  EXPECT_TRUE(com->thin);
  EXPECT_EQ(com->kind, "gtld-legacy");
  EXPECT_EQ(com->rdap_base, "https://rdap.verisign.com/com/v1/");

  const TldInfo* de = FindTld("de");
  ASSERT_NE(de, nullptr);
  EXPECT_EQ(de->whois_host, "whois.denic.de");
  EXPECT_EQ(de->query_template, "-T dn,ace %s");
  EXPECT_FALSE(de->thin);
  EXPECT_EQ(de->charset, "utf-8");

  ASSERT_NE(FindTld("uk"), nullptr);
  EXPECT_EQ(FindTld("uk")->whois_host, "whois.nic.uk");
  ASSERT_NE(FindTld("jp"), nullptr);
  EXPECT_EQ(FindTld("jp")->whois_host, "whois.jprs.jp");
  EXPECT_EQ(FindTld("jp")->query_template, "%s/e");

  const TldInfo* info = FindTld("info");  // port 43 gone, RDAP left
  ASSERT_NE(info, nullptr);
  EXPECT_EQ(info->status, "none");
  EXPECT_EQ(info->whois_host, "");
  EXPECT_FALSE(info->rdap_base.empty());

  const TldInfo* rf = FindTld("xn--p1ai");
  ASSERT_NE(rf, nullptr);
  EXPECT_EQ(rf->kind, "cc-idn");
}

TEST(ServerTable, LongestZoneWins) {
  const TldInfo* brcom = FindTld("foo.br.com");
  ASSERT_NE(brcom, nullptr);
  EXPECT_EQ(brcom->tld, "br.com");
  EXPECT_EQ(brcom->whois_host, "whois.centralnic.net");
  EXPECT_EQ(FindTld("example.com")->tld, "com");
  EXPECT_EQ(FindTld("a.b.c.example.co.za")->tld, "co.za");
  EXPECT_EQ(FindTld("example.za")->tld, "za");
  EXPECT_EQ(FindTld("bbr.com")->tld, "com");  // label boundary, not a string suffix
  EXPECT_EQ(FindTld("university.ac.uk")->whois_host, "whois.nic.ac.uk");
  EXPECT_EQ(FindTld("example.uk")->whois_host, "whois.nic.uk");
}

TEST(ServerTable, CaseAndTrailingDotIgnored) {
  ASSERT_NE(FindTld("EXAMPLE.COM."), nullptr);
  EXPECT_EQ(FindTld("EXAMPLE.COM.")->tld, "com");
}

TEST(ServerTable, UnknownIsNull) {
  EXPECT_EQ(FindTld("example.invalid-tld-zz"), nullptr);
  EXPECT_EQ(FindTld("localhost"), nullptr);
  EXPECT_EQ(FindTld(""), nullptr);
  EXPECT_EQ(FindTld("."), nullptr);
}

}  // namespace
}  // namespace whoisq::resolve
