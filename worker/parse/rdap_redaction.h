// RFC 9537 redaction in RDAP answers: the "redacted" member lists the contact
// fields a server withheld, by name ("Registrant Email", the ICANN profile's
// names) or by JSONPath ("$.entities[?(@.roles[0]=='tech')].vcardArray[1]
// [?(@[0]=='email')][3]"). Values that are themselves a privacy notice
// ("REDACTED FOR PRIVACY") are the builder's (IsRedactedValue), as in WHOIS.
// Private to the RDAP mapping.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include "worker/parse/record_builder.h"

namespace whoisq::parse {

// For each of the first 64 entries of `root`'s "redacted" array: empties the
// field it names in the contact of the role it names, in `builder`'s record,
// and lists the field in that contact's Contact::redacted, whatever the
// method (removal, empty value, replacement). A whole "adr" empties the five
// address fields. An entry that names no role or no field of the record is
// skipped. Call after the entities are applied, so that a value taken from
// them is emptied. Members of the wrong type count as absent; throws only on
// allocation failure.
void ApplyRdapRedactions(const nlohmann::json& root, RecordBuilder& builder);

}  // namespace whoisq::parse
