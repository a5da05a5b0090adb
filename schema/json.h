// JSON form of the record and of results, for people and the CLI. Empty fields
// are left out; `regrinfo.registered` is always present.
#pragma once

#include <nlohmann/json.hpp>

#include "schema/messages.h"
#include "schema/record.h"
#include "schema/status.h"

namespace whoisq::schema {

nlohmann::json ToJson(const Contact& c);
nlohmann::json ToJson(const Record& r);
// A result as one JSON object: query, normalized, outcome, error, record, ...
nlohmann::json ToJson(const LookupReply& reply);

// Reads a record from its JSON form (as produced by ToJson). Unknown keys are
// ignored; a value of the wrong type gives kMalformed.
Result<Record> RecordFromJson(const nlohmann::json& j);

}  // namespace whoisq::schema
