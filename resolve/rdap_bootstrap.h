// RDAP bootstrap (RFC 9224): which RDAP server serves a domain, an IP address
// or network, or an AS number. Built from IANA's four registries (embedded
// copies, replaceable at run time) plus a table of RDAP servers IANA does not
// list. Rules and sources: docs/resolve.md, "RDAP bootstrap".
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "resolve/query.h"
#include "schema/status.h"

namespace whoisq::resolve {

enum class RdapRegistry { kDns, kIpv4, kIpv6, kAsn };

namespace internal {
struct RdapDnsTable;  // defined in rdap_bootstrap.cc
struct RdapIpTable;
struct RdapAsnTable;
}  // namespace internal

// IANA's file name for the registry: "dns.json", "ipv4.json", "ipv6.json", "asn.json".
const char* RdapRegistryFile(RdapRegistry r);

// The four registries as lookup tables. A value type: copies share the
// immutable tables (a copy costs four reference-count increments) and a Load
// on one copy never changes another. Const methods are thread-safe; Load must
// not run concurrently with any other call on the same object (one owner
// loads, then hands out copies).
class RdapBootstrap {
 public:
  // The embedded IANA copies plus the extra table (parsed once per process).
  static RdapBootstrap Builtin();

  // Replaces one registry with a refreshed IANA file. Validates it fully first
  // (RFC 9224 shape, version "1.0", an RFC 3339 publication, every entry
  // well-formed and listed once, every URL http(s) ending in '/'); on any
  // error returns kMalformed naming the problem and changes nothing. A file
  // published before the current one is refused too (kMalformed, "older");
  // the same publication is accepted. For kDns the extra table is merged in
  // again (IANA rows win).
  schema::Status Load(RdapRegistry r, std::string_view json);

  // The registry's publication time as the file states it (RFC 3339).
  std::string Publication(RdapRegistry r) const;

  // The base URL (ends in '/') of the RDAP server for a normalized query
  // (resolve::Normalize output), or nullopt when none is known:
  //   kDomain, kTld: longest label suffix of q.suffix (the zone the name is
  //     registered in; q.normalized when suffix is empty) in IANA's dns.json
  //     and the extra table (IANA wins for the same label); nullopt when that
  //     match is shorter than a special registry zone of the server table the
  //     name lies in ("example.br.com": Verisign does not hold it);
  //   kIp: longest registry prefix containing the address or the whole CIDR;
  //   kAs: the range containing the number.
  // Where a service lists several URLs, the first https one (else the first).
  std::optional<std::string> BaseUrl(const Query& q) const;

  // BaseUrl + "domain/<a-label>", "ip/<address>", "ip/<address>/<length>" or
  // "autnum/<number>", segments percent-encoded (':' in IPv6 kept, see the
  // doc). nullopt for kTld (RDAP for TLD objects is IANA's own server, out of
  // scope), when BaseUrl has nothing, or for a query Normalize cannot produce.
  std::optional<std::string> QueryUrl(const Query& q) const;

  // Number of DNS labels BaseUrl can match (IANA entries plus extra rows IANA lacks).
  size_t DnsEntries() const;

 private:
  RdapBootstrap() = default;

  std::shared_ptr<const internal::RdapDnsTable> dns_;  // IANA dns.json merged with the extra table
  std::shared_ptr<const internal::RdapIpTable> ipv4_;
  std::shared_ptr<const internal::RdapIpTable> ipv6_;
  std::shared_ptr<const internal::RdapAsnTable> asn_;
};

}  // namespace whoisq::resolve
