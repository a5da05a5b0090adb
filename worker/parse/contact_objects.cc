#include "worker/parse/contact_objects.h"
#include "schema/ascii.h"

namespace whoisq::parse {
namespace {

using schema::AsciiLower;

bool OpensObject(std::string_view key) {
  return key == "person" || key == "role" || key == "personname" || key == "nic hdl" ||
         key == "contact" || key == "nic handle" || key == "contact id" || key == "nic hdl br";
}

bool IsHandleKey(std::string_view key) {
  return key == "nic hdl" || key == "nic handle" || key == "handle" || key == "contact id" ||
         key == "nic hdl br";
}

}  // namespace

ContactObjects::ContactObjects(const std::vector<WhoisLine>& lines)
    : lines_(lines), object_line_(lines.size(), false) {
  size_t i = 0;
  while (i < lines.size()) {
    while (i < lines.size() && (lines[i].blank || lines[i].comment)) ++i;
    size_t begin = i;
    while (i < lines.size() && !lines[i].blank) ++i;
    size_t end = i;
    if (begin >= end) continue;
    // The block's first keyed line decides.
    size_t first = begin;
    while (first < end && lines[first].key.empty()) ++first;
    if (first == end || !OpensObject(lines[first].key)) continue;
    std::string handle;
    // "contact: MM12383" (nic.cz) opens an object named by its value.
    bool contact_is_handle = false;
    if (lines[first].key == "contact" && lines[first].value.find(' ') == std::string_view::npos) {
      handle = AsciiLower(lines[first].value);
      contact_is_handle = true;
    }
    bool has_domain = false;
    for (size_t k = begin; k < end; ++k) {
      const WhoisLine& l = lines[k];
      if (l.key == "domain" || l.key == "domain name") has_domain = true;
      if (handle.empty() && IsHandleKey(l.key) && !l.value.empty()) handle = AsciiLower(l.value);
    }
    if (has_domain) continue;
    for (size_t k = begin; k < end; ++k) object_line_[k] = true;
    if (!handle.empty()) objects_.emplace(std::move(handle), Object{begin, end, contact_is_handle});
  }
}

void ContactObjects::Resolve(RecordBuilder& builder) const {
  if (objects_.empty()) return;
  for (Role role : {Role::kOwner, Role::kAdmin, Role::kTech, Role::kBilling, Role::kZone,
                    Role::kAbuse}) {
    schema::Contact* c = builder.ContactFor(role);
    if (c == nullptr || c->handle.empty()) continue;
    auto it = objects_.find(AsciiLower(c->handle));
    if (it == objects_.end()) continue;
    const Object& object = it->second;
    bool organization = false;  // AFNIC "type: ORGANIZATION": the name is an organization
    bool names = false;
    for (size_t k = object.begin; k < object.end; ++k) {
      const WhoisLine& l = lines_[k];
      if (l.key == "type" && AsciiLower(l.value).starts_with("org")) organization = true;
      ContactField f = LookupContactKey(l.key);
      if (f == ContactField::kName || (f == ContactField::kNameOrHandle && !object.contact_is_handle)) {
        names = true;
      }
    }
    // The object is the authority: "owner: Example Ltda" plus "owner-c: XY1"
    // (registro.br) keeps the inline text as the organization.
    std::string inline_name;
    if (names && !organization) inline_name = std::move(c->name), c->name.clear();
    for (size_t k = object.begin; k < object.end; ++k) {
      const WhoisLine& l = lines_[k];
      if (l.key.empty() || l.value.empty()) continue;
      if (l.key == "contact" && object.contact_is_handle) continue;
      ContactField field = LookupContactKey(l.key);
      if (field == ContactField::kHandle) continue;
      if (field == ContactField::kNameOrHandle) field = ContactField::kName;
      if (organization && field == ContactField::kName) field = ContactField::kOrganization;
      builder.SetContact(role, field, l.value);
    }
    if (!inline_name.empty() && c->organization.empty() && inline_name != c->name) {
      c->organization = std::move(inline_name);
    } else if (c->name.empty() && !inline_name.empty()) {
      c->name = std::move(inline_name);
    }
  }
}

}  // namespace whoisq::parse
