// JcardReader: one jCard (RFC 7095) in, the contact values in jCard order out,
// before the record builder picks the first of each field.
#include "worker/parse/jcard_reader.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "worker/parse/field_aliases.h"

namespace whoisq::parse {
namespace {

using CF = ContactField;

JcardValues Read(const std::string& vcard_array) {
  JcardValues out;
  JcardReader(out).Read(nlohmann::json::parse(vcard_array));
  return out;
}

// "name=Jane Doe|street=1 Main St|..." so that a failure prints the whole list.
std::string Flat(const JcardValues& v) {
  std::string s;
  for (const ContactValue& c : v.values) {
    if (!s.empty()) s += "|";
    s += std::string(ContactFieldName(c.field)) + "=" + c.value;
  }
  return s;
}

struct Case {
  const char* properties;  // the jCard's property list
  const char* expected;    // Flat() of the values
};

TEST(JcardReader, PropertiesToContactValues) {
  const Case kCases[] = {
      // fn wins over n; n alone gives "given family".
      {R"([["fn",{},"text","Jane Doe"],["n",{},"text",["Roe","Rick","","",""]]])",
       "name=Jane Doe"},
      {R"([["n",{},"text",["Doe","Jane","","",""]]])", "name=Jane Doe"},
      // A list org is joined; "-" (LACNIC) and blanks are no value.
      {R"([["org",{},"text",["Example Inc.","","Sales"]],["email",{},"text","-"],
          ["email",{},"text","  "]])",
       "organization=Example Inc., Sales"},
      // A voice number before any other; the extension dropped; fax apart.
      {R"([["tel",{"type":"cell"},"uri","tel:+1-555-0101"],
          ["tel",{"type":["work","voice"]},"uri","tel:+1-555-0100;ext=7"],
          ["tel",{"type":"fax"},"text","+1-555-0199"]])",
       "fax=+1-555-0199|phone=+1-555-0100"},
      {R"([["tel",{"type":"cell"},"uri","tel:+1-555-0101"]])", "phone=+1-555-0101"},
      // Structured adr: the cc parameter first, the label ignored, only the first adr.
      {R"([["adr",{"cc":"US","label":"ignored"},"text",
            ["","",["1 Main St","Floor 2"],"Springfield","IL","62701","United States"]],
          ["adr",{},"text",["","","2 Side St","Shelbyville","IL","62565","US"]]])",
       "country=US|street=1 Main St|street=Floor 2|city=Springfield|state=IL|pcode=62701|"
       "country=United States"},
      // ARIN's label: street lines, city, region code, postal code, country.
      {R"([["adr",{"label":"3635 Concorde Parkway\nSuite 200\nChantilly\nVA\n20151\nUnited States"},
            "text",["","","","","","",""]]])",
       "street=3635 Concorde Parkway|street=Suite 200|city=Chantilly|state=VA|pcode=20151|"
       "country=United States"},
      // Any other label (escaped line breaks too): address lines in order.
      {R"([["adr",{"label":"Main St 1\\n1000 Brussels\\nBelgium"},"text",["","","","","","",""]]])",
       "street=Main St 1|street=1000 Brussels|street=Belgium"},
      // Fewer than seven parts (AFRINIC): address lines, not positions.
      {R"([["adr",{},"text",["1 Long Rd",["Block B","Cape Town"]]]])",
       "street=1 Long Rd|street=Block B Cape Town"},
      // Short properties and members of the wrong type are skipped.
      {R"([["fn",{}],["fn",{},"text",42],["email",{},"text","a@example.com"]])",
       "email=a@example.com"},
  };
  for (const Case& c : kCases) {
    const std::string input = std::string(R"(["vcard",)") + c.properties + "]";
    EXPECT_EQ(Flat(Read(input)), c.expected) << input;
  }
}

TEST(JcardReader, KindOrgAndUrl) {
  const JcardValues v = Read(R"(["vcard",[["version",{},"text","4.0"],["kind",{},"text","Org"],
      ["fn",{},"text","Example Registrar"],["url",{},"uri","https://registrar.example/"],
      ["url",{},"uri","https://second.example/"]]])");
  EXPECT_TRUE(v.is_org);
  EXPECT_FALSE(v.has_org);
  EXPECT_EQ(v.url, "https://registrar.example/");
  EXPECT_EQ(Flat(v), "name=Example Registrar");
}

TEST(JcardReader, NotAJcardGivesNothing) {
  for (const char* input : {R"("vcard")", R"(["vcard"])", R"(["vcard",{"fn":"x"}])", "null"}) {
    const JcardValues v = Read(input);
    EXPECT_TRUE(v.values.empty()) << input;
    EXPECT_TRUE(v.url.empty()) << input;
    EXPECT_FALSE(v.is_org || v.has_org) << input;
  }
}

}  // namespace
}  // namespace whoisq::parse
