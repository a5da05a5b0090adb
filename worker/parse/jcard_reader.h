// Reads an RDAP entity's jCard (RFC 7095, the "vcardArray" member) into
// contact values in the WHOIS parser's fields. Private to the RDAP mapping.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "worker/parse/field_aliases.h"

namespace whoisq::parse {

struct ContactValue {
  ContactField field;
  std::string value;
};

// What an entity's jCard says.
struct JcardValues {
  std::vector<ContactValue> values;  // in jCard order; the builder keeps the first of each
  std::string url;                   // jCard "url" (a registrar's web site)
  bool is_org = false;               // jCard kind "org"
  bool has_org = false;              // jCard "org" property present
};

// Fills one JcardValues from one jCard; one reader per entity, not thread-safe.
class JcardReader {
 public:
  // `out` must outlive the reader.
  explicit JcardReader(JcardValues& out) : out_(out) {}

  // Appends to `out` what `vcard_array` (["vcard", [property, ...]]) says:
  // fn (else n as "given family"), org, email, tel (a voice number first,
  // else any but a fax; fax apart; ";ext=" dropped), adr (the structured
  // parts, the "cc" parameter, else the "label" parameter), kind and url.
  // Values are trimmed and cut at 4 KB; empty values and the placeholder "-"
  // are skipped, and so are members of the wrong type. Reads at most 1024
  // properties. Throws only on allocation failure.
  void Read(const nlohmann::json& vcard_array);

 private:
  void Add(ContactField field, std::string_view value);
  bool ReadAddress(const nlohmann::json& params, const nlohmann::json& value);
  void ReadLabel(std::string_view label);

  JcardValues& out_;
};

}  // namespace whoisq::parse
