// RPSL-style contact objects: blank-line separated blocks that describe one
// person or role ("person:", "nic-hdl:", "personname:"), as RIPE, AFNIC,
// nic.at, ISOC-IL and others answer. The domain block names them by handle
// ("admin-c: XY123"); this index finds them and fills the contacts.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "worker/parse/line_scanner.h"
#include "worker/parse/record_builder.h"

namespace whoisq::parse {

class ContactObjects {
 public:
  // Finds the contact objects among `lines` (which must outlive this).
  explicit ContactObjects(const std::vector<WhoisLine>& lines);

  // True when line `index` belongs to a contact object (not to the domain).
  bool IsObjectLine(size_t index) const {
    return index < object_line_.size() && object_line_[index];
  }
  bool empty() const { return objects_.empty(); }

  // Fills every contact of `builder` that has a handle from the object with
  // that handle. The object wins over inline text: "owner: Example Ltda" plus
  // "owner-c: XY1" keeps the inline text as the organization.
  void Resolve(RecordBuilder& builder) const;

 private:
  struct Object {
    size_t begin;  // first line index
    size_t end;    // one past the last
    bool contact_is_handle;  // "contact: MM12383" named the object (nic.cz)
  };
  const std::vector<WhoisLine>& lines_;
  std::vector<bool> object_line_;
  std::unordered_map<std::string, Object> objects_;  // lower-cased handle -> object
};

}  // namespace whoisq::parse
