// Per-server knowledge as data: one row per WHOIS host that needs anything
// beyond the generic tables (a charset, a date order, extra not-found or
// throttle phrases, key aliases). A server without a row parses generically.
#pragma once

#include <span>
#include <string_view>

#include "worker/parse/date_normalizer.h"
#include "worker/parse/field_aliases.h"
#include "worker/parse/text_decoder.h"

namespace whoisq::parse {

// A server-specific key: normalized key -> target (overrides the generic one).
struct KeyAlias {
  std::string_view key;
  KeyTarget target;
};

struct ServerRule {
  std::string_view host;                         // "whois.denic.de"
  Charset charset = Charset::kLatin1;            // used when the bytes are not UTF-8
  DateOrder date_order = DateOrder::kDayFirst;   // for ambiguous nn/nn/yyyy
  std::span<const std::string_view> not_found = {};   // extra phrases, lower case
  std::span<const std::string_view> throttled = {};   // extra phrases, lower case
  std::span<const std::string_view> registered = {};  // phrases meaning "registered"
  std::span<const KeyAlias> aliases = {};             // extra or overriding keys
  // The first free line of an owner block is the organization, not the name.
  bool owner_block_is_organization = false;
  // Keep a registrar id written after the registrar's name ("X (R37-LROR)").
  bool keep_registrar_suffix = false;
  // In unlabeled contact blocks the name spans every line before the first
  // one that starts with a digit (the street): "Jane Doe / Example University".
  bool contact_name_until_street = false;
};

// Returns the rule for `host` (case-insensitive, exact host), or a default
// rule (generic behaviour) when the table has none. Never null.
const ServerRule& FindServerRule(std::string_view host);

}  // namespace whoisq::parse
