// Hostile inputs must come back as a record: no crash, no hang, no exception,
// valid UTF-8 everywhere.
#include <random>
#include <string>

#include <gtest/gtest.h>

#include "schema/json.h"
#include "worker/parse/parser.h"
#include "worker/parse/text_decoder.h"

namespace whoisq::parse {
namespace {

struct HostileCase {
  std::string name;
  std::string input;
};

std::vector<HostileCase> Cases() {
  std::vector<HostileCase> cases;
  std::mt19937 rng(42);
  std::string binary(64 * 1024, '\0');
  for (char& c : binary) c = static_cast<char>(rng() & 0xFF);
  cases.push_back({"random binary", binary});
  cases.push_back({"only NULs", std::string(10000, '\0')});
  cases.push_back({"1 MB single line", std::string(1 << 20, 'a')});
  cases.push_back({"1 MB single key line", "Domain Name: " + std::string(1 << 20, 'x')});
  cases.push_back({"1 MB of colons", std::string(1 << 20, ':')});
  cases.push_back({"invalid UTF-8", "Registrant Name: \xC0\xAF\xED\xA0\x80\xF8\x88\x80\x80\x80\n"});
  std::string deep;
  for (int i = 0; i < 5000; ++i) deep += std::string(i, ' ') + "Registrant:\n";
  cases.push_back({"deep indentation", deep});
  std::string tabs;
  for (int i = 0; i < 2000; ++i) tabs += std::string(i, '\t') + "name: x\n";
  cases.push_back({"deep tabs", tabs});
  std::string many_ns;
  for (int i = 0; i < 100000; ++i) many_ns += "Name Server: ns" + std::to_string(i) + ".example.com\n";
  cases.push_back({"100k name servers", many_ns});
  std::string objects;
  for (int i = 0; i < 20000; ++i) {
    objects += "admin-c: H" + std::to_string(i) + "\n\nnic-hdl: H" + std::to_string(i) +
               "\nperson: P\n\n";
  }
  cases.push_back({"20k handles", objects});
  cases.push_back({"brackets", std::string(100000, '[')});
  cases.push_back({"lone CRs", std::string(100000, '\r')});
  cases.push_back({"date garbage", "Created: 99999999999999999999-99-99T99:99:99+99:99\n"
                                   "Expires: -\nChanged: 0000-00-00\nCreated: 2024-02-30\n"});
  cases.push_back({"stars", std::string(100000, '*')});
  cases.push_back({"header storm", std::string(200000, '\n') + "Registrant:\n"});
  return cases;
}

TEST(HostileInput, ReturnsValidRecords) {
  for (const HostileCase& c : Cases()) {
    schema::Record r = Parse(c.input, ParseOptions{"whois.example", "example.com"});
    EXPECT_TRUE(r.regrinfo.registered == "yes" || r.regrinfo.registered == "no" ||
                r.regrinfo.registered == "unknown")
        << "input: " << c.name;
    for (const std::string& line : r.rawdata) {
      ASSERT_TRUE(IsValidUtf8(line)) << "input: " << c.name;
    }
    std::string json = schema::ToJson(r).dump();  // strict: throws on invalid UTF-8
    EXPECT_FALSE(json.empty()) << "input: " << c.name;
  }
}

}  // namespace
}  // namespace whoisq::parse
