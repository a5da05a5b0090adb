// The Common Object Model record (phpWhois shape): one record for every answer,
// whichever server or protocol produced it. msgpack on the wire (keyed maps, so
// fields can be added), JSON for people (schema/json.h).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <msgpack.hpp>

namespace whoisq::schema {

struct Address {
  std::vector<std::string> street;
  std::string city;
  std::string state;
  std::string pcode;
  std::string country;

  bool empty() const {
    return street.empty() && city.empty() && state.empty() && pcode.empty() && country.empty();
  }
  MSGPACK_DEFINE_MAP(street, city, state, pcode, country);
};

// A contact (owner, admin, tech, billing, zone, abuse). A field whose value the
// server redacted stays empty and its name is listed in `redacted`
// ("name", "email", ...), so a notice is never taken for a name.
struct Contact {
  std::string name;
  std::string organization;
  std::string email;
  std::string phone;
  std::string fax;
  std::string handle;
  Address address;
  std::string created;  // yyyy-mm-dd
  std::string changed;  // yyyy-mm-dd
  std::vector<std::string> redacted;

  bool empty() const {
    return name.empty() && organization.empty() && email.empty() && phone.empty() &&
           fax.empty() && handle.empty() && address.empty() && created.empty() &&
           changed.empty() && redacted.empty();
  }
  MSGPACK_DEFINE_MAP(name, organization, email, phone, fax, handle, address, created, changed,
                     redacted);
};

struct Domain {
  std::string name;
  std::string handle;
  std::vector<std::string> status;
  std::string created;  // yyyy-mm-dd, UTC
  std::string changed;  // yyyy-mm-dd, UTC
  std::string expires;  // yyyy-mm-dd, UTC
  std::string sponsor;  // the registrar's name
  std::string referer;  // the registrar's URL
  std::map<std::string, std::string> nserver;  // host -> IP address or ""
  std::vector<std::string> desc;
  std::string source;
  std::string dnssec;
  std::string registrar_id;  // IANA registrar id where given

  bool empty() const {
    return name.empty() && handle.empty() && status.empty() && created.empty() &&
           changed.empty() && expires.empty() && sponsor.empty() && referer.empty() &&
           nserver.empty() && desc.empty() && source.empty() && dnssec.empty() &&
           registrar_id.empty();
  }
  MSGPACK_DEFINE_MAP(name, handle, status, created, changed, expires, sponsor, referer, nserver,
                     desc, source, dnssec, registrar_id);
};

// An IP network or an AS (the same fields serve both).
struct Network {
  std::string name;
  std::string inetnum;  // "a.b.c.d - e.f.g.h", a CIDR, or "AS15169"
  std::vector<std::string> desc;
  std::vector<std::string> mnt_by;
  std::string status;
  std::string created;
  std::string changed;
  std::string handle;
  std::string source;
  std::string country;

  bool empty() const {
    return name.empty() && inetnum.empty() && desc.empty() && mnt_by.empty() && status.empty() &&
           created.empty() && changed.empty() && handle.empty() && source.empty() &&
           country.empty();
  }
  MSGPACK_DEFINE_MAP(name, inetnum, desc, MSGPACK_NVP("mnt-by", mnt_by), status, created, changed,
                     handle, source, country);
};

struct RegrInfo {
  std::string registered = "unknown";  // "yes", "no" or "unknown"
  std::string disclaimer;
  Domain domain;
  Network network;
  Network as;  // "AS" in JSON and msgpack
  Contact owner;
  Contact admin;
  Contact tech;
  Contact billing;
  Contact zone;
  Contact abuse;

  MSGPACK_DEFINE_MAP(registered, disclaimer, domain, network, MSGPACK_NVP("AS", as), owner, admin,
                     tech, billing, zone, abuse);
};

// One query sent to one server: a hop of the referral chain.
struct ServerHop {
  std::string server;
  uint16_t port = 43;
  std::string args;                 // the query as sent, without CRLF
  std::string protocol = "whois";   // "whois" or "rdap"

  MSGPACK_DEFINE_MAP(server, port, args, protocol);
};

struct RegyInfo {
  std::vector<ServerHop> servers;  // every hop, in order
  std::string registrar;           // the registry's name or server
  std::string referrer;            // the registrar's WHOIS server, if referred
  std::string type;                // "domain", "ip", "AS" (RDAP also "entity", "nameserver")

  MSGPACK_DEFINE_MAP(servers, registrar, referrer, type);
};

struct Record {
  std::vector<std::string> rawdata;  // response lines of every hop, in order
  RegyInfo regyinfo;
  RegrInfo regrinfo;
  bool throttled = false;   // the (last) server refused because of rate limits
  bool fallback = false;    // no WHOIS data could be had; built from the TLD
  std::string reason;       // why a fallback: an ErrorName
  std::string country;      // fallback: ISO 3166 code implied by a ccTLD
  std::string protocol = "whois";  // protocol of the authoritative answer

  MSGPACK_DEFINE_MAP(rawdata, regyinfo, regrinfo, throttled, fallback, reason, country, protocol);
};

// Merges the answer of a registrar (reached by referral) into the registry's
// record: the registrar wins for contacts and the sponsor's URL, the registry
// for dates and status; hops and raw lines are concatenated in order.
Record MergeReferral(Record registry, const Record& registrar);

// Splits a raw answer into lines (CRLF, LF or CR), keeping empty lines.
std::vector<std::string> SplitLines(std::string_view text);

}  // namespace whoisq::schema
