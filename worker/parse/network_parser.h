// Reads IP-network and AS answers of the regional registries (RIPE-style
// inetnum/inet6num/aut-num objects as RIPE, APNIC, AFRINIC and LACNIC write
// them, ARIN's NetRange/ASNumber blocks) into RegrInfo::network and ::as.
#pragma once

#include <vector>

#include "schema/record.h"
#include "worker/parse/line_scanner.h"

namespace whoisq::parse {

class NetworkParser {
 public:
  // `lines` must outlive the parser.
  explicit NetworkParser(const std::vector<WhoisLine>& lines) : lines_(lines) {}

  // Fills `regrinfo.network` from the first network object and `regrinfo.as`
  // from the first AS object, plus the owner organization and abuse email
  // where the answer names them. Returns true when either object was found.
  bool Run(schema::RegrInfo& regrinfo) const;

 private:
  const std::vector<WhoisLine>& lines_;
};

}  // namespace whoisq::parse
