#include "worker/parse/server_rules.h"
#include "schema/ascii.h"

#include <string>

namespace whoisq::parse {
namespace {

using DF = DomainField;
using CF = ContactField;

// ---- phrase and alias lists used by the rows below ------------------------

constexpr std::string_view kKgCharsetNote[] = {"data not found"};

// TCI (.ru/.su/.рф): the domain block names the registrant inline.
constexpr KeyAlias kTcinetAliases[] = {
    {"person", {.role = Role::kAdmin, .contact = CF::kName}},
    {"org", {.role = Role::kAdmin, .contact = CF::kOrganization}},
    {"e mail", {.role = Role::kAdmin, .contact = CF::kEmail}},
    {"phone", {.role = Role::kAdmin, .contact = CF::kPhone}},
    {"fax no", {.role = Role::kAdmin, .contact = CF::kFax}},
};
// ZA gov: "Date :" is the application (registration) date.
constexpr KeyAlias kGovZaAliases[] = {
    {"date", {.domain = DF::kCreated}},
};

// ---- the table ------------------------------------------------------------
// Keep rows sorted by host. A row only holds what differs from the generic
// tables (field_aliases.cc, answer_classifier.cc).
const ServerRule kRules[] = {
    {.host = "whois.dot.cf", .date_order = DateOrder::kMonthFirst},
    {.host = "whois.dot.tk", .date_order = DateOrder::kMonthFirst},
    {.host = "whois.educause.edu",
     .owner_block_is_organization = true,
     .contact_name_until_street = true},
    {.host = "whois.gov.za", .aliases = kGovZaAliases},
    {.host = "whois.in.ua", .charset = Charset::kKoi8U},
    {.host = "whois.kg", .charset = Charset::kWindows1251, .not_found = kKgCharsetNote},
    {.host = "whois.nic.asia", .keep_registrar_suffix = true},
    {.host = "whois.pir.org", .keep_registrar_suffix = true},
    {.host = "whois.tcinet.ru", .aliases = kTcinetAliases},
    {.host = "whois.ua", .charset = Charset::kKoi8U},
};

const ServerRule kDefaultRule{};

using schema::EqualsIgnoreCase;

}  // namespace

const ServerRule& FindServerRule(std::string_view host) {
  while (!host.empty() && host.back() == '.') host.remove_suffix(1);
  for (const ServerRule& rule : kRules) {
    if (EqualsIgnoreCase(rule.host, host)) return rule;
  }
  return kDefaultRule;
}

}  // namespace whoisq::parse
