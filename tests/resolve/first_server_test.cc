// The first server whoisq would ask for a domain, checked for every TLD of the
// built-in table, and the table checked against the IANA data the repository
// ships. No network, no file outside the repository.
//
// What "what IANA data says" can honestly be checked against here:
// * IANA's root-zone WHOIS data (the `whois:` line of each TLD object) is not
//   shipped in the repository: only resolve/data/tld-whois.tsv (whose
//   `whois_host` comes from rfc1036/whois and weppos/whois, not from IANA) and
//   the IANA objects written for the simulated IANA server
//   (tests/fixtures/sim/answers/iana-<tld>.txt, facts from IANA's root zone
//   database, see tests/fixtures/sim/NOTICE.md). /work/shared is not part of
//   the build, so nothing is read from there.
// * So the test checks, for every row with status ok, that the server the
//   broker chooses from the built-in table for a domain under that zone
//   (Normalize -> q.suffix -> FindTld(q.suffix)->whois_host, as
//   broker.cc BuiltinOrFallback and, for special zones, Plan do) is the
//   TSV's whois_host (read from the source file, independently of the
//   embedded copy);
// * for every IANA object shipped as a fixture, that the server IANA names
//   (IanaWhoisServer, what the broker follows) is the built-in row's host, or
//   that both say "no server";
// * for the only IANA-derived column of the TSV, that a row whose `sources`
//   lists `iana-rdap` (the TLD is in IANA's RDAP bootstrap) carries an RDAP
//   base URL, and one that does not, none.
// The agreement of every whois_host with IANA's live `whois:` data is left to
// the data build (shared/data), which can fetch it; it cannot be proven here.
#include <dirent.h>

#include <cctype>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "resolve/iana_answer.h"
#include "resolve/query.h"
#include "resolve/server_table.h"

namespace whoisq::resolve {
namespace {

struct Row {
  std::string tld, kind, status, host, rdap_base, sources;
};

std::vector<Row> ReadSourceTsv() {
  std::ifstream in(WHOISQ_TLD_TSV_PATH);
  EXPECT_TRUE(in) << WHOISQ_TLD_TSV_PATH;
  std::vector<Row> rows;
  std::map<std::string, size_t> column;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> f;
    std::stringstream ss(line);
    for (std::string field; std::getline(ss, field, '\t');) f.push_back(field);
    if (column.empty()) {
      for (size_t i = 0; i < f.size(); ++i) column[f[i]] = i;
      for (const char* name : {"tld", "kind", "status", "whois_host", "rdap_base", "sources"}) {
        EXPECT_TRUE(column.count(name)) << "no column " << name;
      }
      continue;
    }
    f.resize(column.size());
    rows.push_back({f[column["tld"]], f[column["kind"]], f[column["status"]], f[column["whois_host"]],
                    f[column["rdap_base"]], f[column["sources"]]});
  }
  return rows;
}

std::string LastLabel(const std::string& name) { return name.substr(name.rfind('.') + 1); }

TEST(FirstServer, EveryOkRowIsTheBuiltInChoiceForADomainUnderIt) {
  std::vector<Row> rows = ReadSourceTsv();
  ASSERT_GT(rows.size(), 1500u);
  size_t checked = 0;
  for (const Row& row : rows) {
    if (row.status != "ok") continue;
    SCOPED_TRACE(row.tld);
    // Under a PSL wildcard (*.er, *.ck ...) "probe.<tld>" is itself a public
    // suffix, so a name one label deeper is the domain.
    auto q = Normalize("whoisq-probe." + row.tld);
    ASSERT_TRUE(q.ok()) << q.status().ToString();
    if (q->type == QueryType::kTld) q = Normalize("www.whoisq-probe." + row.tld);
    ASSERT_TRUE(q.ok()) << q.status().ToString();
    ASSERT_EQ(q->type, QueryType::kDomain) << q->normalized;
    EXPECT_EQ(q->tld, LastLabel(row.tld));
    const TldInfo* zone = FindTld(q->suffix);
    ASSERT_NE(zone, nullptr) << q->suffix;
    EXPECT_EQ(zone->tld, row.tld) << "suffix " << q->suffix;
    EXPECT_EQ(zone->whois_host, row.host) << q->normalized;
    ++checked;
  }
  EXPECT_GT(checked, 1400u);
}

// The IANA objects shipped for the simulated IANA server.
std::map<std::string, std::string> IanaTldObjects() {
  const std::string dir = WHOISQ_SIM_ANSWERS_DIR;
  std::map<std::string, std::string> out;
  DIR* d = opendir(dir.c_str());
  EXPECT_NE(d, nullptr) << dir;
  if (!d) return out;
  while (dirent* e = readdir(d)) {
    std::string name = e->d_name;
    // iana-<tld>.txt; not iana-not-found.txt, iana-ipv4-*, iana-ipv6-*, iana-as-*.
    if (name.rfind("iana-", 0) != 0 || name.size() < 9 || name.substr(name.size() - 4) != ".txt") continue;
    std::string tld = name.substr(5, name.size() - 9);
    if (tld.find('-') != std::string::npos) continue;
    std::ifstream in(dir + "/" + name);
    std::stringstream text;
    text << in.rdbuf();
    out[tld] = text.str();
  }
  closedir(d);
  return out;
}

TEST(FirstServer, ShippedIanaObjectsNameTheBuiltInServer) {
  auto objects = IanaTldObjects();
  ASSERT_GE(objects.size(), 8u);  // com net org xyz io de fr er
  for (const auto& [tld, answer] : objects) {
    SCOPED_TRACE("iana-" + tld + ".txt");
    // The object is about this TLD.
    std::string upper = tld;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    EXPECT_NE(answer.find("\ndomain:       " + upper + "\n"), std::string::npos);
    const TldInfo* row = FindTld(tld);
    ASSERT_NE(row, nullptr);
    EXPECT_EQ(row->tld, tld);
    std::optional<std::string> iana = IanaWhoisServer(answer);
    if (row->status == "ok") {
      EXPECT_EQ(iana.value_or("(none)"), row->whois_host);
    } else {
      EXPECT_EQ(iana, std::nullopt) << "IANA names " << *iana << ", the table has status " << row->status;
      EXPECT_EQ(row->whois_host, "");
    }
  }
}

TEST(FirstServer, RdapBaseIsPresentExactlyForRowsInIanasBootstrap) {
  size_t in_bootstrap = 0;
  for (const Row& row : ReadSourceTsv()) {
    SCOPED_TRACE(row.tld);
    bool listed = ("," + row.sources + ",").find(",iana-rdap,") != std::string::npos;
    EXPECT_EQ(listed, !row.rdap_base.empty()) << row.sources << " / " << row.rdap_base;
    if (listed) {
      ++in_bootstrap;
      // https, or http for the few services the bootstrap lists that way.
      EXPECT_TRUE(row.rdap_base.rfind("https://", 0) == 0 || row.rdap_base.rfind("http://", 0) == 0)
          << row.rdap_base;
    }
    const TldInfo* info = FindTld(row.tld);
    ASSERT_NE(info, nullptr);
    EXPECT_EQ(info->rdap_base, row.rdap_base);
  }
  EXPECT_GT(in_bootstrap, 1000u);
}

}  // namespace
}  // namespace whoisq::resolve
