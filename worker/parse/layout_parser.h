// The generic parser: walks scanned lines once and reads every layout the
// corpus shows without knowing the server: flat "Key: value" (ICANN spec 4,
// with contact-prefix families), header-and-block sections ("Holder of domain
// name:" then lines, "Registrant:" then indented "Name: x"), DENIC "[Tech-C]"
// and JPRS "[Key] value" lines, and RPSL objects linked by handle.
#pragma once

#include <vector>

#include "worker/parse/contact_objects.h"
#include "worker/parse/line_scanner.h"
#include "worker/parse/record_builder.h"
#include "worker/parse/server_rules.h"

namespace whoisq::parse {

class LayoutParser {
 public:
  // `lines`, `rule` and `builder` must outlive the parser.
  LayoutParser(const std::vector<WhoisLine>& lines, const ServerRule& rule,
               RecordBuilder& builder);

  // Reads every line into the builder. Runs in time linear in the lines.
  void Run();

 private:
  struct Section {
    SectionKind kind = SectionKind::kNone;
    Role role = Role::kNone;
    DomainField field = DomainField::kNone;
    ContactField pending = ContactField::kNone;  // free lines go to this field
    ContactField last = ContactField::kNone;     // field of the last keyed line
    int indent = 0;
    bool implicit = false;  // opened by a "Key: value" line: only deeper lines belong
    bool has_content = false;
  };
  enum class Fit { kMine, kMineAndClose, kNotMine };

  Fit InSection(const WhoisLine& line);
  void TopLevel(const WhoisLine& line);
  // Free lines at top level: "Registrant" (a header without a colon),
  // "Domain-name   example.sk" (no colon), "Record created on 22-Apr-2003".
  void TopLevelFreeLine(const WhoisLine& line);
  KeyTarget Resolve(const WhoisLine& line) const;
  void Apply(const KeyTarget& target, std::string_view value);
  void Open(const SectionHeader& header, int indent);
  // True when the blank line at `blank` sits inside an indented block: the
  // next line is a free line indented deeper than the section's header.
  bool BlockGoesOn(size_t blank) const;

  const std::vector<WhoisLine>& lines_;
  const ServerRule& rule_;
  RecordBuilder& builder_;
  ContactObjects objects_;
  Section section_;
  KeyTarget target_;  // Resolve() of the line being read
  DomainField previous_field_ = DomainField::kNone;  // field of the previous keyed line
};

}  // namespace whoisq::parse
