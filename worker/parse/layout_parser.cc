#include "worker/parse/layout_parser.h"

namespace whoisq::parse {
namespace {

using CF = ContactField;
using DF = DomainField;

bool IsRegistrarNameKey(std::string_view k) {
  return k == "name" || k == "registrar name" || k == "organization" || k == "organisation" ||
         k == "company" || k == "registrar";
}
bool IsRegistrarUrlKey(std::string_view k) {
  return k == "website" || k == "url" || k == "www" || k == "web" || k == "homepage" ||
         k == "referral url" || k == "registrar url" || k == "web site";
}

}  // namespace

LayoutParser::LayoutParser(const std::vector<WhoisLine>& lines, const ServerRule& rule,
                           RecordBuilder& builder)
    : lines_(lines), rule_(rule), builder_(builder), objects_(lines) {}

KeyTarget LayoutParser::Resolve(const WhoisLine& line) const {
  for (const KeyAlias& alias : rule_.aliases) {
    if (alias.key == line.key) return alias.target;
  }
  return ResolveKey(line.key);
}

void LayoutParser::Apply(const KeyTarget& target, std::string_view value) {
  if (target.domain != DF::kNone) {
    builder_.SetDomain(target.domain, value);
  } else if (target.role != Role::kNone) {
    builder_.SetContact(target.role, target.contact, value);
  }
}

void LayoutParser::Open(const SectionHeader& header, int indent) {
  section_ = Section{};
  section_.kind = header.kind;
  section_.role = header.role;
  section_.field = header.field;
  section_.pending = header.contact_field;
  section_.indent = indent;
}

LayoutParser::Fit LayoutParser::InSection(const WhoisLine& line) {
  Section& s = section_;
  const bool deeper = line.indent > s.indent;
  if (!line.key.empty()) {
    if (line.value.empty()) {
      // A header: a known one opens a new section.
      if (LookupSectionHeader(line.key).kind != SectionKind::kNone) {
        // "Address:" inside a contact is a field header, handled below.
        if (!(s.kind == SectionKind::kContact && deeper &&
              LookupContactKey(line.key) != CF::kNone)) {
          return Fit::kNotMine;
        }
      }
      if (s.kind == SectionKind::kContact) {
        CF field = LookupContactKey(line.key);
        if (field != CF::kNone) {
          s.pending = field;
          s.has_content = true;
          return Fit::kMine;
        }
      }
      return deeper ? Fit::kMine : Fit::kNotMine;
    }
    switch (s.kind) {
      case SectionKind::kContact: {
        CF field = LookupContactKey(line.key);
        if (field == CF::kNone) {
          auto [role, rest] = SplitRolePrefix(line.key);
          if (role == s.role) field = LookupContactKey(rest);
        }
        if (field != CF::kNone && (deeper || !s.implicit)) {
          builder_.SetContact(s.role, field, line.value);
          s.last = field;
          s.pending = CF::kNone;
          s.has_content = true;
          return Fit::kMine;
        }
        if (deeper) {
          KeyTarget t = Resolve(line);
          if (t.known()) Apply(t, line.value);
          return Fit::kMine;
        }
        return Fit::kNotMine;
      }
      case SectionKind::kRegistrar:
        if (IsRegistrarNameKey(line.key)) {
          builder_.SetDomain(DF::kSponsor, line.value);
          s.has_content = true;
          return Fit::kMine;
        }
        if (IsRegistrarUrlKey(line.key)) {
          builder_.SetDomain(DF::kReferer, line.value);
          s.has_content = true;
          return Fit::kMine;
        }
        if (deeper) return Fit::kMine;
        return Fit::kNotMine;
      case SectionKind::kNameservers:
      case SectionKind::kField:
        if (deeper) {
          KeyTarget t = Resolve(line);
          if (t.known()) Apply(t, line.value);
          return Fit::kMine;
        }
        return Fit::kNotMine;
      case SectionKind::kNone:
        break;
    }
    return Fit::kNotMine;
  }
  // A free line.
  if (s.implicit && !deeper) return Fit::kNotMine;
  s.has_content = true;
  switch (s.kind) {
    case SectionKind::kContact:
      if (s.pending != CF::kNone) {
        builder_.SetContact(s.role, s.pending, line.text);
      } else if (s.last == CF::kStreet && deeper) {
        builder_.SetContact(s.role, CF::kStreet, line.text);
      } else {
        builder_.AddContactLine(s.role, line.text);
      }
      return Fit::kMine;
    case SectionKind::kNameservers:
      builder_.AddNameserver(line.text);
      return Fit::kMine;
    case SectionKind::kRegistrar:
      builder_.SetDomain(DF::kSponsor, line.text);
      return Fit::kMine;
    case SectionKind::kField:
      builder_.SetDomain(s.field, line.text);
      return s.field == DF::kStatus ? Fit::kMine : Fit::kMineAndClose;
    case SectionKind::kNone:
      break;
  }
  return Fit::kNotMine;
}

void LayoutParser::TopLevel(const WhoisLine& line) {
  if (line.key.empty()) return;
  if (line.value.empty()) {
    SectionHeader header = LookupSectionHeader(line.key);
    if (header.kind != SectionKind::kNone) Open(header, line.indent);
    return;
  }
  KeyTarget t = Resolve(line);
  if (!t.known()) return;
  Apply(t, line.value);
  // Continuation lines: "nameservers: a" then deeper "b"; "Address: x" then "y".
  if (t.domain == DF::kNserver) {
    Open(SectionHeader{SectionKind::kNameservers}, line.indent);
    section_.implicit = true;
  } else if (t.role != Role::kNone && t.contact == CF::kStreet) {
    SectionHeader h{SectionKind::kContact, t.role};
    Open(h, line.indent);
    section_.implicit = true;
    section_.last = CF::kStreet;
  }
}

void LayoutParser::Run() {
  for (size_t i = 0; i < lines_.size(); ++i) {
    const WhoisLine& line = lines_[i];
    if (objects_.IsObjectLine(i)) {
      section_ = Section{};
      continue;
    }
    if (line.blank) {
      if (section_.kind != SectionKind::kNone && (section_.has_content || section_.implicit)) {
        section_ = Section{};
      }
      continue;
    }
    if (line.comment) continue;
    if (section_.kind != SectionKind::kNone) {
      Fit fit = InSection(line);
      if (fit == Fit::kMine) continue;
      section_ = Section{};
      if (fit == Fit::kMineAndClose) continue;
    }
    TopLevel(line);
  }
  objects_.Resolve(builder_);
}

}  // namespace whoisq::parse
