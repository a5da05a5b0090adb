#include "worker/parse/network_parser.h"

#include <string>
#include <string_view>

#include "worker/parse/date_normalizer.h"

namespace whoisq::parse {
namespace {

enum class Kind { kNone, kNetwork, kAs };

// Most values kept per list (descr, mnt-by).
constexpr size_t kMaxListItems = 64;

Kind Opens(std::string_view key) {
  if (key == "inetnum" || key == "inet6num" || key == "netrange" || key == "net range") {
    return Kind::kNetwork;
  }
  if (key == "aut num" || key == "asnumber" || key == "as number") return Kind::kAs;
  return Kind::kNone;
}

void SetOnce(std::string& slot, std::string_view v) {
  if (slot.empty()) slot = std::string(v);
}

// One "key: value" of a network or AS object.
void Apply(schema::Network& n, std::string_view key, std::string_view v, Kind kind) {
  if (key == "inetnum" || key == "inet6num" || key == "netrange" || key == "net range") {
    SetOnce(n.inetnum, v);
  } else if (key == "aut num") {
    SetOnce(n.inetnum, v);
  } else if (key == "asnumber" || key == "as number") {
    if (n.inetnum.empty()) n.inetnum = (v.starts_with("AS") ? "" : "AS") + std::string(v);
  } else if (key == "cidr") {
    if (n.inetnum.empty()) n.inetnum = std::string(v);
  } else if (key == "netname" || key == "net name" || key == "as name" || key == "asname") {
    SetOnce(n.name, v);
  } else if (key == "descr" || key == "description") {
    if (n.desc.size() < kMaxListItems) n.desc.emplace_back(v);
  } else if (key == "mnt by") {
    if (n.mnt_by.size() < kMaxListItems) n.mnt_by.emplace_back(v);
  } else if (key == "status" || key == "nettype" || key == "net type") {
    SetOnce(n.status, v);
  } else if (key == "country") {
    SetOnce(n.country, v);
  } else if (key == "created" || key == "regdate" || key == "reg date") {
    if (n.created.empty()) n.created = NormalizeDate(v);
  } else if (key == "last modified" || key == "updated" || key == "changed") {
    std::string d = NormalizeDate(v);
    if (d > n.changed) n.changed = std::move(d);
  } else if (key == "source") {
    SetOnce(n.source, v);
  } else if (key == "nethandle" || key == "net handle" || key == "ashandle" ||
             ((key == "owner id" || key == "ownerid") && kind == Kind::kNetwork)) {
    SetOnce(n.handle, v);
  }
}

}  // namespace

bool NetworkParser::Run(schema::RegrInfo& g) const {
  Kind current = Kind::kNone;
  bool found_network = false, found_as = false;
  std::string_view owner, abuse;
  // In RPSL the first attribute of a paragraph names the object's class: an
  // `aut-num:` further down an inetnum (registro.br, LACNIC) is an attribute
  // of the network, not a new object.
  bool first_in_paragraph = true;
  for (const WhoisLine& l : lines_) {
    if (l.blank) {
      current = Kind::kNone;
      first_in_paragraph = true;
      continue;
    }
    if (l.key.empty() || l.value.empty()) continue;
    Kind opens = Opens(l.key);
    const bool starts_object = first_in_paragraph || current == Kind::kNone;
    first_in_paragraph = false;
    if (opens != Kind::kNone && !starts_object) {
      if (opens == Kind::kAs && current == Kind::kNetwork && g.as.inetnum.empty()) {
        Apply(g.as, l.key, l.value, Kind::kAs);  // the network's origin AS
      }
      opens = Kind::kNone;
    }
    if (opens == Kind::kNetwork && !found_network) {
      current = Kind::kNetwork;
      found_network = true;
    } else if (opens == Kind::kAs && !found_as) {
      current = Kind::kAs;
      found_as = true;
    } else if (opens != Kind::kNone) {
      current = Kind::kNone;  // a second object of the same kind: keep the first
    }
    if (current == Kind::kNetwork && Opens(l.key) != Kind::kAs) {
      Apply(g.network, l.key, l.value, current);
    }
    if (current == Kind::kAs) Apply(g.as, l.key, l.value, current);
    // Owner and abuse contact, wherever the answer names them.
    if (l.key == "orgname" || l.key == "org name" || l.key == "owner") {
      if (owner.empty()) owner = l.value;
    } else if (l.key == "orgabuseemail" || l.key == "abuse mailbox" || l.key == "abuse c mail") {
      if (abuse.empty()) abuse = l.value;
    }
  }
  if (!found_network && !found_as) return false;
  SetOnce(g.owner.organization, owner);
  SetOnce(g.abuse.email, abuse);
  return true;
}

}  // namespace whoisq::parse
