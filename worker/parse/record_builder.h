// Collects parsed values into a schema::Record with the record's rules: the
// first value of a single-valued field wins, dates become UTC yyyy-mm-dd,
// name servers are lower-cased host -> IP, redacted contact values are listed
// in Contact::redacted instead of being taken for names.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "schema/record.h"
#include "worker/parse/date_normalizer.h"
#include "worker/parse/field_aliases.h"
#include "worker/parse/server_rules.h"

namespace whoisq::parse {

// One builder per Parse() call; not thread-safe.
class RecordBuilder {
 public:
  // `regrinfo` and `rule` must outlive the builder.
  RecordBuilder(schema::RegrInfo& regrinfo, const ServerRule& rule);

  // Records a domain field. Returns true when the value was taken.
  bool SetDomain(DomainField field, std::string_view value);
  // Adds a name server from "ns1.example.com", "ns1.example.com. [192.0.2.1]",
  // "ns1.example.com 192.0.2.1", ... Returns true when a host was found.
  bool AddNameserver(std::string_view value);
  // Replaces the change date when `value` is later: for runs of "changed:"
  // lines (RPSL), whose last entry is the latest change.
  void UpdateChanged(std::string_view value);
  // Adds every host of a free line in a name-server list ("a.example b.example").
  void AddNameserverLine(std::string_view line);
  // Records a contact field (first value wins, streets accumulate).
  void SetContact(Role role, ContactField field, std::string_view value);
  // Keeps an unlabeled line of a contact block, read by Finish().
  void AddContactLine(Role role, std::string_view line);
  // Reads unlabeled contact lines (emails, phone numbers, then name, street)
  // and, for RPSL domain objects without a holder, the first "descr:" line.
  void Finish();

  schema::Contact* ContactFor(Role role);
  bool HasNameservers() const { return !regrinfo_.domain.nserver.empty(); }
  bool HasDates() const;

 private:
  schema::RegrInfo& regrinfo_;
  const ServerRule& rule_;
  std::vector<std::string> contact_lines_[kRoleCount];
  bool name_is_given_[kRoleCount] = {};  // the name so far is only a given name
};

// True when `value` is a privacy notice ("REDACTED FOR PRIVACY", "Not
// Disclosed", "Data Protected", GDPR texts, "visit ... for web whois", ...).
bool IsRedactedValue(std::string_view value);

// True when `host` looks like a DNS host name (letters, digits, '-', '_', '.',
// non-ASCII), with at least one dot and not an IPv4 address.
bool LooksLikeHostName(std::string_view host);

}  // namespace whoisq::parse
