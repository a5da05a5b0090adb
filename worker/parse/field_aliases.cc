#include "worker/parse/field_aliases.h"

#include <cstdint>
#include <string>
#include <unordered_map>

namespace whoisq::parse {
namespace {

using DF = DomainField;
using CF = ContactField;

// FNV-1a: keys are short, so a simple byte hash beats std::hash here.
struct KeyHash {
  size_t operator()(std::string_view s) const noexcept {
    uint64_t h = 1469598103934665603ull;
    for (char c : s) {
      h ^= static_cast<unsigned char>(c);
      h *= 1099511628211ull;
    }
    return static_cast<size_t>(h);
  }
};

template <typename T>
using AliasMap = std::unordered_map<std::string_view, T, KeyHash>;

// Top-level keys naming a domain field. Keys are normalized (NormalizeKey).
const AliasMap<DF>& DomainKeys() {
  static const AliasMap<DF> map = {
      // name
      {"domain name", DF::kName}, {"domain", DF::kName}, {"domainname", DF::kName},
      {"domain names", DF::kName}, {"query", DF::kName}, {"nom de domaine", DF::kName},
      {"dominio", DF::kName}, {"nombre de dominio", DF::kName},
      {"registrado por", DF::kSponsor}, {"estatus del dominio", DF::kStatus}, {"domain name ace", DF::kIgnore}, {"ace", DF::kIgnore},
      {"domain information", DF::kIgnore}, {"domain name idn", DF::kIgnore},
      // handle
      {"domain id", DF::kHandle}, {"registry domain id", DF::kHandle}, {"roid", DF::kHandle},
      {"domain handle", DF::kHandle}, {"handle", DF::kHandle},
      // status
      {"domain status", DF::kStatus}, {"status", DF::kStatus}, {"state", DF::kStatus},
      {"registration status", DF::kStatus}, {"epp status", DF::kStatus},
      {"domain state", DF::kStatus}, {"estado", DF::kStatus}, {"statut", DF::kStatus},
      // created
      {"creation date", DF::kCreated}, {"created", DF::kCreated}, {"created on", DF::kCreated},
      {"created date", DF::kCreated}, {"creation", DF::kCreated}, {"create date", DF::kCreated},
      {"registered", DF::kCreated}, {"registered on", DF::kCreated},
      {"registered date", DF::kCreated}, {"registration date", DF::kCreated},
      {"registration time", DF::kCreated}, {"domain registration date", DF::kCreated},
      {"domain create date", DF::kCreated}, {"domain created", DF::kCreated},
      {"record created on", DF::kCreated}, {"record created", DF::kCreated},
      {"activated", DF::kCreated}, {"acivated", DF::kCreated},
      {"domain name commencement date", DF::kCreated}, {"commencement date", DF::kCreated},
      {"entry created", DF::kCreated}, {"first registered", DF::kCreated},
      {"created at", DF::kCreated}, {"date of registration", DF::kCreated},
      {"registration", DF::kCreated}, {"domain registered", DF::kCreated},
      {"creation date utc", DF::kCreated}, {"fecha de registro", DF::kCreated},
      {"fecha de creacion", DF::kCreated}, {"data de registro", DF::kCreated},
      {"date de creation", DF::kCreated}, {"domain registration", DF::kCreated},
      {"registered at", DF::kCreated}, {"activated on", DF::kCreated},
      {"first registration date", DF::kCreated}, {"registration date utc", DF::kCreated},
      {"domain record activated", DF::kCreated}, {"record activated", DF::kCreated},
      {"date registered", DF::kCreated}, {"date created", DF::kCreated},
      {"date of creation", DF::kCreated}, {"creation time", DF::kCreated},
      {"date modified", DF::kChanged}, {"date updated", DF::kChanged},
      {"modification time", DF::kChanged}, {"update time", DF::kChanged},
      {"date expires", DF::kExpires}, {"expiry time", DF::kExpires},
      {"registration expiration date", DF::kExpires}, {"domain expiration", DF::kExpires},
      {"domain creation date", DF::kCreated}, {"domain dateregistered", DF::kCreated},
      {"record created date", DF::kCreated}, {"registration date and time", DF::kCreated},
      {"domain create", DF::kCreated}, {"created date utc", DF::kCreated},
      // changed
      {"updated date", DF::kChanged}, {"updated", DF::kChanged}, {"updated on", DF::kChanged},
      {"last updated on", DF::kChanged}, {"last updated", DF::kChanged},
      {"last update", DF::kChanged}, {"last updated date", DF::kChanged},
      {"modified", DF::kChanged}, {"modified date", DF::kChanged},
      {"last modified", DF::kChanged}, {"changed", DF::kChanged},
      {"last changed", DF::kChanged}, {"entry updated", DF::kChanged},
      {"record changed on", DF::kChanged}, {"record last updated on", DF::kChanged},
      {"domain last updated date", DF::kChanged}, {"update date", DF::kChanged},
      {"modification date", DF::kChanged}, {"last modification date", DF::kChanged},
      {"domain record last updated", DF::kChanged}, {"updated at", DF::kChanged},
      {"record last updated", DF::kChanged}, {"ultima actualizacion", DF::kChanged},
      {"fecha de ultima actualizacion", DF::kChanged}, {"last update date", DF::kChanged},
      {"date de modification", DF::kChanged}, {"domain updated", DF::kChanged},
      {"record last modified", DF::kChanged}, {"domain datelastmodified", DF::kChanged},
      {"record last updated", DF::kChanged}, {"last modified date", DF::kChanged},
      {"domain last modified", DF::kChanged}, {"record updated", DF::kChanged},
      // expires
      {"registry expiry date", DF::kExpires},
      {"registrar registration expiration date", DF::kExpires},
      {"expiration date", DF::kExpires}, {"expires", DF::kExpires},
      {"expires on", DF::kExpires}, {"expiry date", DF::kExpires}, {"expiry", DF::kExpires},
      {"expire", DF::kExpires}, {"expire date", DF::kExpires}, {"expiration", DF::kExpires},
      {"renewal date", DF::kExpires}, {"paid till", DF::kExpires},
      {"valid until", DF::kExpires}, {"validity", DF::kExpires},
      {"domain expiration date", DF::kExpires}, {"domain expires", DF::kExpires},
      {"exp date", DF::kExpires}, {"expiration time", DF::kExpires},
      {"registry expiration date", DF::kExpires}, {"expires at", DF::kExpires},
      {"domain expiry date", DF::kExpires}, {"renewal", DF::kExpires},
      {"date d expiration", DF::kExpires}, {"fecha de vencimiento", DF::kExpires},
      {"fecha de expiracion", DF::kExpires}, {"record expires on", DF::kExpires},
      {"expiry date utc", DF::kExpires}, {"free date", DF::kIgnore},
      {"record expired", DF::kExpires}, {"record will expire on", DF::kExpires},
      {"expired", DF::kExpires}, {"domain datebilleduntil", DF::kExpires},
      {"valid date", DF::kExpires}, {"record expires", DF::kExpires},
      {"expire on", DF::kExpires}, {"expiration date utc", DF::kExpires},
      {"domain expire", DF::kExpires}, {"billed until", DF::kExpires},
      // sponsor
      {"registrar", DF::kSponsor}, {"sponsoring registrar", DF::kSponsor},
      {"registrar name", DF::kSponsor}, {"registrar organization", DF::kSponsor},
      {"registrar of record", DF::kSponsor}, {"sponsoring registrar organization", DF::kSponsor},
      {"registration service provider", DF::kSponsor}, {"current registrar", DF::kSponsor},
      {"registrant s agent", DF::kIgnore}, {"authorized agency", DF::kSponsor},
      {"current registar", DF::kSponsor}, {"registar", DF::kSponsor},
      {"sponsoring registrar name", DF::kSponsor}, {"registered through", DF::kSponsor},
      {"registration agent", DF::kSponsor},
      // JPRS (Japanese output) and KISA keys.
      {"ドメイン名", DF::kName}, {"ネームサーバ", DF::kNserver}, {"登録年月日", DF::kCreated},
      {"有効期限", DF::kExpires}, {"最終更新", DF::kChanged}, {"状態", DF::kStatus},
      {"ドメイン情報", DF::kIgnore},
      // referer
      {"registrar url", DF::kReferer}, {"referral url", DF::kReferer},
      {"sponsoring registrar url", DF::kReferer}, {"registrar website", DF::kReferer},
      {"registration url", DF::kReferer}, {"registrar homepage", DF::kReferer},
      // nameservers
      {"name server", DF::kNserver}, {"name servers", DF::kNserver},
      {"nameserver", DF::kNserver}, {"nameservers", DF::kNserver}, {"nserver", DF::kNserver},
      {"dns", DF::kNserver}, {"dns servers", DF::kNserver}, {"domain servers", DF::kNserver},
      {"ns", DF::kNserver}, {"host name", DF::kNserver}, {"name server name", DF::kNserver},
      {"primary ns", DF::kNserver}, {"secondary ns", DF::kNserver},
      {"primary server", DF::kNserver}, {"secondary server", DF::kNserver},
      {"servidor de nombres", DF::kNserver}, {"serveur de noms", DF::kNserver},
      {"name server hostname", DF::kNserver}, {"nameservers hostname", DF::kNserver},
      {"ns name", DF::kNserver}, {"dns name", DF::kNserver}, {"domain server", DF::kNserver},
      {"name servers dns", DF::kNserver}, {"nameserver name", DF::kNserver},
      {"domain status code", DF::kStatus}, {"query status", DF::kStatus},
      {"domaintype", DF::kStatus},
      // misc
      {"descr", DF::kDesc}, {"source", DF::kSource}, {"dnssec", DF::kDnssec},
      {"registrar iana id", DF::kRegistrarId}, {"sponsoring registrar iana id", DF::kRegistrarId},
      {"registrar whois server", DF::kIgnore}, {"whois server", DF::kIgnore},
      {"registrar abuse contact email", DF::kIgnore}, {"registrar abuse contact phone", DF::kIgnore},
  };
  return map;
}

const AliasMap<CF>& ContactKeys() {
  static const AliasMap<CF> map = {
      {"name", CF::kName}, {"person", CF::kName}, {"personname", CF::kName},
      {"given name", CF::kGivenName}, {"first name", CF::kGivenName},
      {"firstname", CF::kGivenName}, {"family name", CF::kFamilyName},
      {"last name", CF::kFamilyName}, {"lastname", CF::kFamilyName},
      {"surname", CF::kFamilyName},
      {"contact name", CF::kName}, {"full name", CF::kName}, {"role", CF::kName},
      {"nom", CF::kName}, {"nombre", CF::kName}, {"name surname", CF::kName},
      {"contact", CF::kNameOrHandle},
      {"organization", CF::kOrganization}, {"organisation", CF::kOrganization},
      {"org", CF::kOrganization}, {"company", CF::kOrganization},
      {"company name", CF::kOrganization}, {"organization name", CF::kOrganization},
      {"org name", CF::kOrganization}, {"organisation name", CF::kOrganization},
      {"organizacion", CF::kOrganization}, {"company english name", CF::kOrganization},
      {"company chinese name", CF::kIgnore},
      {"email", CF::kEmail}, {"e mail", CF::kEmail}, {"email address", CF::kEmail},
      {"mail", CF::kEmail}, {"contact email", CF::kEmail}, {"e mail address", CF::kEmail},
      {"emailaddress", CF::kEmail}, {"correo electronico", CF::kEmail},
      {"phone", CF::kPhone}, {"phone number", CF::kPhone}, {"tel", CF::kPhone},
      {"telephone", CF::kPhone}, {"voice", CF::kPhone}, {"phone no", CF::kPhone},
      {"telefono", CF::kPhone}, {"telephone number", CF::kPhone},
      {"fax", CF::kFax}, {"fax no", CF::kFax}, {"fax number", CF::kFax},
      {"facsimile", CF::kFax}, {"fax phone", CF::kFax}, {"facsimile number", CF::kFax},
      {"id", CF::kHandle}, {"handle", CF::kHandle}, {"nic hdl", CF::kHandle},
      {"contact id", CF::kHandle}, {"c", CF::kHandle}, {"nic", CF::kHandle},
      {"pid", CF::kHandle}, {"nic handle", CF::kHandle}, {"hdl", CF::kHandle},
      {"code", CF::kHandle}, {"contact handle", CF::kHandle},
      {"street", CF::kStreet}, {"address", CF::kStreet}, {"postal address", CF::kStreet},
      {"street address", CF::kStreet}, {"address line", CF::kStreet},
      {"mailing address", CF::kStreet}, {"direccion", CF::kStreet},
      {"city", CF::kCity}, {"town", CF::kCity}, {"locality", CF::kCity},
      {"ciudad", CF::kCity},
      {"state", CF::kState}, {"province", CF::kState}, {"state province", CF::kState},
      {"region", CF::kState}, {"sp", CF::kState}, {"county", CF::kState},
      {"postal code", CF::kPcode}, {"postalcode", CF::kPcode}, {"postcode", CF::kPcode},
      {"post code", CF::kPcode}, {"zip", CF::kPcode}, {"zip code", CF::kPcode},
      {"zipcode", CF::kPcode}, {"pcode", CF::kPcode}, {"codigo postal", CF::kPcode},
      {"country", CF::kCountry}, {"country code", CF::kCountry},
      {"country economy", CF::kCountry}, {"country name", CF::kCountry},
      {"mobile", CF::kIgnore}, {"email id", CF::kEmail}, {"contact email address", CF::kEmail},
      {"countrycode", CF::kCountry}, {"cc", CF::kCountry}, {"pais", CF::kCountry},
      {"created", CF::kCreated}, {"creation date", CF::kCreated},
      {"changed", CF::kChanged}, {"updated", CF::kChanged}, {"last updated", CF::kChanged},
      {"modified", CF::kChanged}, {"last modified", CF::kChanged},
      {"phone ext", CF::kIgnore}, {"fax ext", CF::kIgnore}, {"type", CF::kIgnore},
      {"language", CF::kIgnore}, {"contractual language", CF::kIgnore},
      {"remarks", CF::kIgnore}, {"source", CF::kIgnore}, {"mnt by", CF::kIgnore},
      {"title", CF::kIgnore}, {"title position", CF::kIgnore},
  };
  return map;
}

struct RolePrefix {
  std::string_view prefix;
  Role role;
};

// Longest first within each word so that "administrative contact" wins over
// "administrative".
constexpr RolePrefix kRolePrefixes[] = {
    {"registrant contact", Role::kOwner}, {"registrant", Role::kOwner},
    {"owner contact", Role::kOwner},      {"owner", Role::kOwner},
    {"holder contact", Role::kOwner},     {"holder", Role::kOwner},
    {"domain holder", Role::kOwner},      {"domain owner", Role::kOwner},
    {"titular", Role::kOwner},            {"titulaire", Role::kOwner},
    {"contacto administrativo", Role::kAdmin}, {"contacto tecnico", Role::kTech},
    {"contacto de cobranza", Role::kBilling},  {"contacto de facturacion", Role::kBilling},
    {"org", Role::kOwner},                {"adm", Role::kAdmin},
    {"tec", Role::kTech},                 {"bil", Role::kBilling},
    {"administrative contact", Role::kAdmin}, {"administrative", Role::kAdmin},
    {"admin contact", Role::kAdmin},      {"admin", Role::kAdmin},
    {"technical contact", Role::kTech},   {"technical", Role::kTech},
    {"tech contact", Role::kTech},        {"tech", Role::kTech},
    {"billing contact", Role::kBilling},  {"billing", Role::kBilling},
    {"zone contact", Role::kZone},        {"zone", Role::kZone},
    {"abuse contact", Role::kAbuse},      {"ac", Role::kAdmin},
    {"administrator", Role::kAdmin},      {"adminstrative", Role::kAdmin},
    {"domain registrant", Role::kOwner},  {"registrant s", Role::kOwner},
};

bool StartsWithWord(std::string_view key, std::string_view prefix) {
  return key.starts_with(prefix) && (key.size() == prefix.size() || key[prefix.size()] == ' ');
}

std::string_view DropWord(std::string_view s, std::string_view word) {
  if (StartsWithWord(s, word)) {
    s.remove_prefix(word.size());
    if (!s.empty() && s[0] == ' ') s.remove_prefix(1);
  }
  return s;
}

// "street1", "address line 2" -> "street", "address line".
std::string_view DropTrailingNumber(std::string_view s) {
  size_t e = s.size();
  while (e > 0 && s[e - 1] >= '0' && s[e - 1] <= '9') --e;
  if (e == s.size() || e == 0) return s;
  while (e > 0 && s[e - 1] == ' ') --e;
  return s.substr(0, e);
}

const AliasMap<SectionKind>& SectionKeys() {
  static const AliasMap<SectionKind> map = {
      {"name servers", SectionKind::kNameservers},
      {"nameservers", SectionKind::kNameservers},
      {"nameserver", SectionKind::kNameservers},
      {"name server", SectionKind::kNameservers},
      {"nserver", SectionKind::kNameservers},
      {"domain servers", SectionKind::kNameservers},
      {"domain servers in listed order", SectionKind::kNameservers},
      {"domain nameservers", SectionKind::kNameservers},
      {"dns servers", SectionKind::kNameservers},
      {"dns", SectionKind::kNameservers},
      {"servers", SectionKind::kNameservers},
      {"name servers information", SectionKind::kNameservers},
      {"nameservers information", SectionKind::kNameservers},
      {"name server information", SectionKind::kNameservers},
      {"domain name servers", SectionKind::kNameservers},
      {"name servers in listed order", SectionKind::kNameservers},
      {"hostname", SectionKind::kNameservers},
      {"host names", SectionKind::kNameservers},
      {"registrar", SectionKind::kRegistrar},
      {"registrar information", SectionKind::kRegistrar},
      {"registrar info", SectionKind::kRegistrar},
      {"registrar details", SectionKind::kRegistrar},
      {"sponsoring registrar", SectionKind::kRegistrar},
      {"registrar contact information", SectionKind::kRegistrar},
  };
  return map;
}

}  // namespace

DomainField LookupDomainKey(std::string_view key) {
  const auto& map = DomainKeys();
  if (auto it = map.find(key); it != map.end()) return it->second;
  // "Name Server 1", "nserver2", "DNS 3".
  std::string_view base = DropTrailingNumber(key);
  if (base != key) {
    if (auto it = map.find(base); it != map.end() && it->second == DF::kNserver) return it->second;
  }
  return DF::kNone;
}

bool StartsDateKey(std::string_view word) {
  // The first words of every date key of the domain table.
  static const std::unordered_map<std::string_view, bool, KeyHash> firsts = [] {
    std::unordered_map<std::string_view, bool, KeyHash> m;
    for (const auto& [key, field] : DomainKeys()) {
      if (field != DF::kCreated && field != DF::kChanged && field != DF::kExpires) continue;
      m.emplace(key.substr(0, key.find(' ')), true);
    }
    return m;
  }();
  return firsts.count(word) != 0;
}

ContactField LookupContactKey(std::string_view key) {
  const auto& map = ContactKeys();
  if (auto it = map.find(key); it != map.end()) return it->second;
  std::string_view base = DropTrailingNumber(key);
  if (base != key) {
    if (auto it = map.find(base); it != map.end()) return it->second;
  }
  // "contact email", "contact phone".
  std::string_view rest = DropWord(key, "contact");
  if (rest != key && !rest.empty()) {
    if (auto it = map.find(rest); it != map.end()) return it->second;
  }
  return CF::kNone;
}

std::pair<Role, std::string_view> SplitRolePrefix(std::string_view key) {
  std::string_view k = DropWord(key, "registry");
  if (k.empty()) return {Role::kNone, key};
  for (const RolePrefix& p : kRolePrefixes) {
    if (p.prefix[0] == k[0] && StartsWithWord(k, p.prefix)) {
      std::string_view rest = k.substr(p.prefix.size());
      if (!rest.empty() && rest[0] == ' ') rest.remove_prefix(1);
      return {p.role, rest};
    }
  }
  return {Role::kNone, key};
}

KeyTarget ResolveKey(std::string_view key) {
  KeyTarget target;
  target.domain = LookupDomainKey(key);
  if (target.domain != DF::kNone) return target;
  auto [role, rest] = SplitRolePrefix(key);
  if (role == Role::kNone) return target;
  target.role = role;
  if (rest.empty()) {
    target.contact = CF::kNameOrHandle;
    return target;
  }
  target.contact = LookupContactKey(rest);
  if (target.contact == CF::kNone) {
    // "Registrant Contact Email", "Admin Contact Name".
    target.contact = LookupContactKey(DropWord(rest, "contact"));
  }
  if (target.contact == CF::kNone) target.role = Role::kNone;
  // "org-name" (DNS-LU), "org:" (TCI) name an organization.
  if ((target.contact == CF::kName || target.contact == CF::kNameOrHandle) && StartsWithWord(key, "org")) {
    target.contact = CF::kOrganization;
  }
  return target;
}

SectionHeader LookupSectionHeader(std::string_view key) {
  SectionHeader header;
  const auto& map = SectionKeys();
  if (auto it = map.find(key); it != map.end()) {
    header.kind = it->second;
    return header;
  }
  // "Name servers in the listed order", "Domain Name Servers listed in order",
  // "Servidor(es) de Nombres de Dominio".
  static constexpr std::string_view kNameserverHeads[] = {
      "name servers", "nameservers", "domain servers", "dns servers", "domain name servers",
      "domain nameservers", "servidor es de nombres", "servidores de nombres", "serveurs de noms",
      "nameserver", "name server", "dns server", "servidor de nombres", "servidores dns"};
  for (std::string_view head : kNameserverHeads) {
    if (StartsWithWord(key, head)) {
      header.kind = SectionKind::kNameservers;
      return header;
    }
  }
  auto [role, rest] = SplitRolePrefix(key);
  if (role != Role::kNone) {
    static constexpr std::string_view kHeaderTails[] = {
        "", "c", "contact", "contacts", "contact information", "information", "info",
        "of domain name", "of domain", "contact details", "details", "data", "handle",
        "contact info", "agent", "contact agent", "contacts information"};
    for (std::string_view tail : kHeaderTails) {
      if (rest == tail) {
        header.kind = SectionKind::kContact;
        header.role = role;
        return header;
      }
    }
    if (rest == "address" || rest == "contact address" || rest == "postal address") {
      header.kind = SectionKind::kContact;
      header.role = role;
      header.contact_field = CF::kStreet;
      return header;
    }
  }
  DomainField field = LookupDomainKey(key);
  if (field == DF::kNserver) {
    header.kind = SectionKind::kNameservers;
  } else if (field == DF::kSponsor) {
    header.kind = SectionKind::kRegistrar;
  } else if (field != DF::kNone && field != DF::kIgnore) {
    header.kind = SectionKind::kField;
    header.field = field;
  }
  return header;
}

const char* ContactFieldName(ContactField field) {
  switch (field) {
    case CF::kName:
    case CF::kNameOrHandle:
    case CF::kGivenName:
    case CF::kFamilyName:
      return "name";
    case CF::kOrganization:
      return "organization";
    case CF::kEmail:
      return "email";
    case CF::kPhone:
      return "phone";
    case CF::kFax:
      return "fax";
    case CF::kHandle:
      return "handle";
    case CF::kStreet:
      return "street";
    case CF::kCity:
      return "city";
    case CF::kState:
      return "state";
    case CF::kPcode:
      return "pcode";
    case CF::kCountry:
      return "country";
    case CF::kCreated:
      return "created";
    case CF::kChanged:
      return "changed";
    case CF::kNone:
    case CF::kIgnore:
      break;
  }
  return "";
}

}  // namespace whoisq::parse
