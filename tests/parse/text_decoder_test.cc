#include "worker/parse/text_decoder.h"

#include <gtest/gtest.h>

namespace whoisq::parse {
namespace {

struct DecodeCase {
  std::string input;
  Charset fallback;
  std::string want;
};

TEST(TextDecoder, DecodesStrictUtf8ElseTheServerCharset) {
  const DecodeCase cases[] = {
      {"plain ascii", Charset::kLatin1, "plain ascii"},
      {"B\xC3\xBCro", Charset::kLatin1, "B\xC3\xBCro"},           // valid UTF-8 kept
      {"B\xFCro", Charset::kLatin1, "B\xC3\xBCro"},               // Latin-1 ü
      {"\x80 euro", Charset::kWindows1252, "\xE2\x82\xAC euro"},  // cp1252 €
      {"\xCF\xF0\xE8", Charset::kWindows1251, "\xD0\x9F\xD1\x80\xD0\xB8"},  // "При"
      {"\xF0\xD2\xC9", Charset::kKoi8U, "\xD0\x9F\xD1\x80\xD0\xB8"},        // "При"
      {std::string("a\0b", 3), Charset::kLatin1, "ab"},
      {"\xC0\xAF overlong", Charset::kLatin1, "\xC3\x80\xC2\xAF overlong"},
      {"\xED\xA0\x80 surrogate", Charset::kLatin1, "\xC3\xAD\xC2\xA0\xC2\x80 surrogate"},
  };
  for (const DecodeCase& c : cases) {
    std::string got = DecodeToUtf8(c.input, c.fallback);
    EXPECT_EQ(got, c.want) << "input: \"" << c.input << "\"";
    EXPECT_TRUE(IsValidUtf8(got)) << "input: \"" << c.input << "\"";
  }
}

TEST(TextDecoder, ValidatesUtf8) {
  EXPECT_TRUE(IsValidUtf8("\xF0\x9F\x98\x80"));
  EXPECT_FALSE(IsValidUtf8("\xF0\x9F\x98"));
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));
  EXPECT_FALSE(IsValidUtf8("\xFF"));
}

}  // namespace
}  // namespace whoisq::parse
