// The generic knowledge of the parser as tables: which normalized key (see
// NormalizeKey) means which record field, which role prefixes name a contact
// ("Registrant", "Admin", "Tech-C", ...), and which headers open a section.
#pragma once

#include <cstdint>
#include <string_view>
#include <utility>

namespace whoisq::parse {

enum class Role : uint8_t { kNone, kOwner, kAdmin, kTech, kBilling, kZone, kAbuse };
constexpr int kRoleCount = 7;  // including kNone

enum class ContactField : uint8_t {
  kNone,
  kNameOrHandle,  // a bare "Registrant: x": a handle if it looks like one, else a name
  kName,
  kOrganization,
  kEmail,
  kPhone,
  kFax,
  kHandle,
  kStreet,
  kCity,
  kState,
  kPcode,
  kCountry,
  kCreated,
  kChanged,
  kGivenName,   // "Given name" / "First name": joined with the family name
  kFamilyName,  // "Family name" / "Last name"
  kIgnore,  // known, not recorded (phone ext, type, language, ...)
};

enum class DomainField : uint8_t {
  kNone,
  kName,
  kHandle,
  kStatus,
  kCreated,
  kChanged,
  kExpires,
  kSponsor,
  kReferer,
  kNserver,
  kDesc,
  kSource,
  kDnssec,
  kRegistrarId,
  kIgnore,
};

// Where a "Key: value" line goes: a domain field, or a field of a contact.
struct KeyTarget {
  DomainField domain = DomainField::kNone;
  Role role = Role::kNone;
  ContactField contact = ContactField::kNone;
  bool known() const { return domain != DomainField::kNone || contact != ContactField::kNone; }
};

enum class SectionKind : uint8_t {
  kNone,
  kContact,      // "Registrant:", "[Tech-C]", "Holder of domain name:"
  kNameservers,  // "Name servers:", "Domain servers in listed order:"
  kRegistrar,    // "Registrar:" followed by Name/Website lines
  kField,        // "Domain name:" with the value on the next line(s)
};

// A header line ("Key:" with no value, or "[Key]").
struct SectionHeader {
  SectionKind kind = SectionKind::kNone;
  Role role = Role::kNone;
  DomainField field = DomainField::kNone;          // for kField
  ContactField contact_field = ContactField::kNone;  // "Registrant Address:" -> kStreet
};

// A normalized key at top level -> its domain field, or kNone.
DomainField LookupDomainKey(std::string_view key);

// True when `word` (normalized) is the first word of some date key
// ("record", "created", "expires", ...): a cheap gate before trying the
// longer key lookups on a free line.
bool StartsDateKey(std::string_view word);

// A key inside a contact section or object ("name", "e mail", "fax no") ->
// its contact field, or kNone.
ContactField LookupContactKey(std::string_view key);

// Splits a leading role prefix: "registrant contact email" -> {kOwner, "email"},
// "admin c" -> {kAdmin, "c"}, "tech" -> {kTech, ""}. {kNone, key} when none.
std::pair<Role, std::string_view> SplitRolePrefix(std::string_view key);

// Resolves a top-level key: domain fields first, then role-prefixed contact
// fields ("Registrant Name", "admin-c", "Tech. Email", "owner-zip").
KeyTarget ResolveKey(std::string_view key);

// Resolves a header key; kind kNone when it opens no known section.
SectionHeader LookupSectionHeader(std::string_view key);

// The contact-field name used in Contact::redacted ("name", "email", ...).
const char* ContactFieldName(ContactField field);

}  // namespace whoisq::parse
