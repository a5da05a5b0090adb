// Turns whatever a crawler has (URL, host, IDN, TLD, IP, CIDR, AS number) into
// one normalized query: the cache key and the name sent to servers.
#pragma once

#include <string>
#include <string_view>

#include "schema/status.h"

namespace whoisq::resolve {

enum class QueryType { kDomain, kIp, kAs, kTld };

struct Query {
  QueryType type = QueryType::kDomain;
  std::string input;       // as given
  std::string normalized;  // the cache key: "example.co.uk", "8.8.8.8", "10.0.0.0/8", "AS15169", "uk"
  std::string tld;         // kDomain/kTld: the last label, A-label ("uk"); empty otherwise
  std::string suffix;      // kDomain: the zone the name is registered in ("co.uk", "br.com");
                           // kTld: the suffix itself (== normalized); empty otherwise
  std::string unicode;     // U-label form for display when it differs from normalized, else empty
};

// Validates `input` and reduces it to its normalized query. Rules (docs/resolve.md):
// URLs lose scheme, userinfo, port, path, query and fragment; hosts are case
// folded, IDNs become A-labels (IDNA2008 non-transitional, UTS #46 mapping, NFC),
// the trailing dot goes, and the host shrinks to its registrable domain by the
// ICANN section of the Public Suffix List plus the special registry zones of the
// server table (br.com, uk.co, ...); a host that is itself a public suffix is a
// kTld query. IPv4 is dotted quad, IPv6 compressed lower case (IPv4-mapped IPv6
// becomes IPv4), CIDR is masked to its network address, and "AS15169",
// "as15169", "AS0.15169" (asdot) and a bare number "15169" are AS numbers.
// Fails with kInvalidQuery and a message naming the problem when the input is
// empty, has a control byte, a space, CR/LF, invisible or space-like Unicode,
// a forbidden character, an empty or over-long label (> 63) or name (> 253),
// a label starting or ending with '-', '@' in a host, or an invalid address,
// port, prefix or AS number. The checks run before anything else: no
// normalized form ever carries bytes the client did not mean.
// Thread-safe; the first call loads the Public Suffix List (once).
schema::Result<Query> Normalize(std::string_view input);

// "domain", "ip", "AS", "tld": these strings go into stored records.
const char* TypeName(QueryType t);

}  // namespace whoisq::resolve
