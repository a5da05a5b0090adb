#include "worker/parse/contact_objects.h"

namespace whoisq::parse {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool OpensObject(std::string_view key) {
  return key == "person" || key == "role" || key == "personname" || key == "nic hdl" ||
         key == "contact" || key == "nic handle";
}

bool IsHandleKey(std::string_view key) {
  return key == "nic hdl" || key == "nic handle" || key == "handle" || key == "contact id";
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
    bool has_domain = false;
    for (size_t k = begin; k < end; ++k) {
      const WhoisLine& l = lines[k];
      if (l.key == "domain" || l.key == "domain name") has_domain = true;
      if (handle.empty() && IsHandleKey(l.key) && !l.value.empty()) handle = Lower(l.value);
    }
    if (has_domain) continue;
    for (size_t k = begin; k < end; ++k) object_line_[k] = true;
    if (!handle.empty()) objects_.emplace(std::move(handle), Object{begin, end});
  }
}

void ContactObjects::Resolve(RecordBuilder& builder) const {
  if (objects_.empty()) return;
  for (Role role : {Role::kOwner, Role::kAdmin, Role::kTech, Role::kBilling, Role::kZone,
                    Role::kAbuse}) {
    schema::Contact* c = builder.ContactFor(role);
    if (c == nullptr || c->handle.empty() || !c->name.empty() || !c->organization.empty()) {
      continue;
    }
    auto it = objects_.find(Lower(c->handle));
    if (it == objects_.end()) continue;
    for (size_t k = it->second.begin; k < it->second.end; ++k) {
      const WhoisLine& l = lines_[k];
      if (l.key.empty() || l.value.empty()) continue;
      ContactField field = LookupContactKey(l.key);
      if (field == ContactField::kHandle) continue;
      builder.SetContact(role, field, l.value);
    }
  }
}

}  // namespace whoisq::parse
