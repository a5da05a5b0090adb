// CountryForTld(): ccTLD -> ISO 3166-1 alpha-2, as data. The rules and the
// reasons for the exceptions are in docs/resolve.md.
#include "resolve/tld_country.h"

#include <idn2.h>

#include <memory>
#include <string>
#include <string_view>

#include "resolve/server_table.h"

namespace whoisq::resolve {
namespace {

struct TldCountry {
  std::string_view tld;
  std::string_view country;
};

// ASCII ccTLDs whose label is not the ISO 3166-1 code assigned to the territory.
// Every other two-letter TLD the server table lists as kind "cc" maps to its
// own label in upper case (checked against iso-codes 3166-1 in the tests).
constexpr TldCountry kAsciiExceptions[] = {
    {"uk", "GB"},  // United Kingdom: UK is only exceptionally reserved; GB is assigned
    {"ac", "SH"},  // Ascension Island: AC is exceptionally reserved; the territory is
                   // part of "Saint Helena, Ascension and Tristan da Cunha" (SH)
    {"eu", "EU"},  // European Union: no territory code; EU (exceptionally reserved) is the marker
    {"su", "SU"},  // Soviet Union: no successor territory; SU (transitionally reserved) kept
};

// IDN ccTLDs (IANA root zone, kind "cc-idn" in the server table), A-label -> code.
constexpr TldCountry kIdnCcTlds[] = {
    {"xn--2scrj9c", "IN"},        // ಭಾರತ (Kannada)
    {"xn--3e0b707e", "KR"},       // 한국
    {"xn--3hcrj9c", "IN"},        // ଭାରତ (Oriya)
    {"xn--45br5cyl", "IN"},       // ভাৰত (Assamese)
    {"xn--45brj9c", "IN"},        // ভারত (Bengali)
    {"xn--4dbrk0ce", "IL"},       // ישראל
    {"xn--54b7fta0cc", "BD"},     // বাংলা
    {"xn--80ao21a", "KZ"},        // қаз
    {"xn--90a3ac", "RS"},         // срб
    {"xn--90ae", "BG"},           // бг
    {"xn--90ais", "BY"},          // бел
    {"xn--clchc0ea0b2g2a9gcd", "SG"},  // சிங்கப்பூர்
    {"xn--d1alf", "MK"},          // мкд
    {"xn--e1a4c", "EU"},          // ею
    {"xn--fiqs8s", "CN"},         // 中国
    {"xn--fiqz9s", "CN"},         // 中國
    {"xn--fpcrj9c3d", "IN"},      // భారత్ (Telugu)
    {"xn--fzc2c9e2c", "LK"},      // ලංකා
    {"xn--gecrj9c", "IN"},        // ભારત (Gujarati)
    {"xn--h2breg3eve", "IN"},     // भारतम् (Sanskrit)
    {"xn--h2brj9c", "IN"},        // भारत (Hindi)
    {"xn--h2brj9c8c", "IN"},      // भारोत (Santali)
    {"xn--j1amh", "UA"},          // укр
    {"xn--j6w193g", "HK"},        // 香港
    {"xn--kprw13d", "TW"},        // 台湾
    {"xn--kpry57d", "TW"},        // 台灣
    {"xn--l1acc", "MN"},          // мон
    {"xn--lgbbat1ad8j", "DZ"},    // الجزائر
    {"xn--mgb9awbf", "OM"},       // عمان
    {"xn--mgba3a4f16a", "IR"},    // ایران
    {"xn--mgbaam7a8h", "AE"},     // امارات
    {"xn--mgbah1a3hjkrd", "MR"},  // موريتانيا
    {"xn--mgbai9azgqp6j", "PK"},  // پاکستان
    {"xn--mgbayh7gpa", "JO"},     // الاردن
    {"xn--mgbbh1a", "IN"},        // بارت (Kashmiri)
    {"xn--mgbbh1a71e", "IN"},     // بھارت (Urdu)
    {"xn--mgbc0a9azcg", "MA"},    // المغرب
    {"xn--mgbcpq6gpa1a", "BH"},   // البحرين
    {"xn--mgberp4a5d4ar", "SA"},  // السعودية
    {"xn--mgbgu82a", "IN"},       // ڀارت (Sindhi)
    {"xn--mgbpl2fh", "SD"},       // سودان
    {"xn--mgbtx2b", "IQ"},        // عراق
    {"xn--mgbx4cd0ab", "MY"},     // مليسيا
    {"xn--mix891f", "MO"},        // 澳門
    {"xn--node", "GE"},           // გე
    {"xn--o3cw4h", "TH"},         // ไทย
    {"xn--ogbpf8fl", "SY"},       // سورية
    {"xn--p1ai", "RU"},           // рф
    {"xn--pgbs0dh", "TN"},        // تونس
    {"xn--q7ce6a", "LA"},         // ລາວ
    {"xn--qxa6a", "EU"},          // ευ
    {"xn--qxam", "GR"},           // ελ
    {"xn--rvc1e0am3e", "IN"},     // ഭാരതം (Malayalam)
    {"xn--s9brj9c", "IN"},        // ਭਾਰਤ (Punjabi)
    {"xn--wgbh1c", "EG"},         // مصر
    {"xn--wgbl6a", "QA"},         // قطر
    {"xn--xkc2al3hye2a", "LK"},   // இலங்கை
    {"xn--xkc2dl3a5ee0h", "IN"},  // இந்தியா
    {"xn--y9a3aq", "AM"},         // հայ
    {"xn--yfro4i67o", "SG"},      // 新加坡
    {"xn--ygbi2ammx", "PS"},      // فلسطين
};

std::string_view Lookup(const TldCountry* begin, const TldCountry* end, std::string_view tld) {
  for (const TldCountry* it = begin; it != end; ++it) {
    if (it->tld == tld) return it->country;
  }
  return {};
}

// The last label, lower case, as an A-label ("РФ" -> "xn--p1ai").
std::string LastLabelALabel(std::string_view name) {
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  size_t dot = name.rfind('.');
  if (dot != std::string_view::npos) name.remove_prefix(dot + 1);
  bool ascii = true;
  std::string label;
  for (char c : name) {
    if (static_cast<unsigned char>(c) >= 0x80) ascii = false;
    label += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  if (ascii || label.empty()) return label;
  char* out = nullptr;
  int rc = idn2_lookup_u8(reinterpret_cast<const uint8_t*>(label.c_str()),
                          reinterpret_cast<uint8_t**>(&out), IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL);
  std::unique_ptr<char, decltype(&idn2_free)> holder(out, &idn2_free);
  return rc == IDN2_OK && out != nullptr ? std::string(out) : std::string();
}

}  // namespace

std::string CountryForTld(std::string_view tld) {
  const std::string label = LastLabelALabel(tld);
  if (label.empty()) return "";
  if (label.size() == 2) {
    if (std::string_view c = Lookup(std::begin(kAsciiExceptions), std::end(kAsciiExceptions), label);
        !c.empty()) {
      return std::string(c);
    }
    const TldInfo* row = FindTld(label);
    if (row == nullptr || row->kind != "cc" || row->tld != label) return "";
    return std::string{static_cast<char>(label[0] - 'a' + 'A'), static_cast<char>(label[1] - 'a' + 'A')};
  }
  return std::string(Lookup(std::begin(kIdnCcTlds), std::end(kIdnCcTlds), label));
}

}  // namespace whoisq::resolve
