// whoisq::parse: turns any raw WHOIS answer into the project's one record
// shape (schema::Record, phpWhois "Common Object Model"). Generic parsers
// carry the work; per-server knowledge is a table (server_rules.cc). See
// docs/parser.md.
#pragma once

#include <string>
#include <string_view>

#include "schema/record.h"

namespace whoisq::parse {

struct ParseOptions {
  std::string server;  // WHOIS host that answered, e.g. "whois.verisign-grs.com" (may be empty: unknown server)
  std::string query;   // what was asked (may be empty)
};

// Parses one raw answer (any bytes) into a record: rawdata (valid UTF-8 lines), regrinfo, throttled.
// regyinfo is left for the caller. Never throws, never fails: unknown text gives registered = "unknown".
// Thread-safe (no shared mutable state).
schema::Record Parse(std::string_view raw, const ParseOptions& options);

}  // namespace whoisq::parse
