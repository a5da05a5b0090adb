#include "resolve/tld_country.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "resolve/server_table.h"

namespace whoisq::resolve {
namespace {

TEST(CountryForTld, Table) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"de", "DE"},       {"DE", "DE"},         {"fr", "FR"},        {"us", "US"},
      {"uk", "GB"},       {"gb", "GB"},         {"ac", "SH"},        {"sh", "SH"},
      {"eu", "EU"},       {"su", "SU"},         {"io", "IO"},        {"tv", "TV"},
      {"co.uk", "GB"},    {"example.co.uk", "GB"}, {"jp.", "JP"},
      {"xn--p1ai", "RU"}, {"XN--P1AI", "RU"},   {"\xD1\x80\xD1\x84", "RU"},
      {"xn--fiqs8s", "CN"}, {"xn--fiqz9s", "CN"}, {"xn--j6w193g", "HK"}, {"xn--qxa6a", "EU"},
      {"xn--e1a4c", "EU"},  {"xn--3e0b707e", "KR"}, {"xn--mgberp4a5d4ar", "SA"}, {"xn--h2brj9c", "IN"},
      {"xn--90ais", "BY"},  {"xn--y9a3aq", "AM"},
      // gTLDs, infrastructure, unknown and undelegated codes.
      {"com", ""}, {"org", ""}, {"xn--ngbc5azd", ""}, {"arpa", ""}, {"zz", ""}, {"bl", ""},
      {"um", ""},  {"", ""},    {"localhost", ""},
  };
  for (const auto& [tld, country] : cases) {
    EXPECT_EQ(CountryForTld(tld), country) << "tld \"" << tld << "\"";
  }
}

// Every ccTLD row of the server table gets a country; every IDN ccTLD row too.
TEST(CountryForTld, CoversEveryCountryCodeRow) {
  std::ifstream in(WHOISQ_TLD_TSV_PATH);
  std::string line;
  size_t cc = 0, idn = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::string tld = line.substr(0, line.find('\t'));
    const TldInfo* info = FindTld(tld);
    if (info == nullptr || info->tld != tld) continue;
    if (info->kind == "cc") {
      ++cc;
      EXPECT_EQ(CountryForTld(tld).size(), 2u) << tld;
    } else if (info->kind == "cc-idn") {
      ++idn;
      EXPECT_EQ(CountryForTld(tld).size(), 2u) << tld;
    } else if (info->kind != "sld") {  // "ac.uk" is a name under uk: GB, by its last label
      EXPECT_EQ(CountryForTld(tld), "") << tld;
    }
  }
  EXPECT_GT(cc, 240u);
  EXPECT_GT(idn, 50u);
}

// Against Debian's iso-codes: every answer is an assigned ISO 3166-1 code,
// except the two documented reserved markers EU and SU.
TEST(CountryForTld, AnswersAreIsoCodes) {
  const char* path = "/usr/share/iso-codes/json/iso_3166-1.json";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << path << " not installed (iso-codes)";
  std::ifstream in(path);
  nlohmann::json doc = nlohmann::json::parse(in);
  std::set<std::string> iso;
  for (const auto& c : doc["3166-1"]) iso.insert(c["alpha_2"].get<std::string>());
  ASSERT_GT(iso.size(), 240u);
  std::ifstream tsv(WHOISQ_TLD_TSV_PATH);
  std::string line;
  while (std::getline(tsv, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::string tld = line.substr(0, line.find('\t'));
    std::string country = CountryForTld(tld);
    if (country.empty() || country == "EU" || country == "SU") continue;
    EXPECT_TRUE(iso.count(country)) << tld << " -> " << country;
  }
}

}  // namespace
}  // namespace whoisq::resolve
