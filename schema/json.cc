#include "schema/json.h"

namespace whoisq::schema {
namespace {

using nlohmann::json;

void Put(json& j, const char* key, const std::string& v) {
  if (!v.empty()) j[key] = v;
}
void Put(json& j, const char* key, const std::vector<std::string>& v) {
  if (!v.empty()) j[key] = v;
}

json ToJson(const Address& a) {
  json j = json::object();
  Put(j, "street", a.street);
  Put(j, "city", a.city);
  Put(j, "state", a.state);
  Put(j, "pcode", a.pcode);
  Put(j, "country", a.country);
  return j;
}

json ToJson(const Domain& d) {
  json j = json::object();
  Put(j, "name", d.name);
  Put(j, "handle", d.handle);
  Put(j, "status", d.status);
  Put(j, "created", d.created);
  Put(j, "changed", d.changed);
  Put(j, "expires", d.expires);
  Put(j, "sponsor", d.sponsor);
  Put(j, "referer", d.referer);
  if (!d.nserver.empty()) j["nserver"] = d.nserver;
  Put(j, "desc", d.desc);
  Put(j, "source", d.source);
  Put(j, "dnssec", d.dnssec);
  Put(j, "registrar_id", d.registrar_id);
  return j;
}

json ToJson(const Network& n) {
  json j = json::object();
  Put(j, "name", n.name);
  Put(j, "inetnum", n.inetnum);
  Put(j, "desc", n.desc);
  Put(j, "mnt-by", n.mnt_by);
  Put(j, "status", n.status);
  Put(j, "created", n.created);
  Put(j, "changed", n.changed);
  Put(j, "handle", n.handle);
  Put(j, "source", n.source);
  Put(j, "country", n.country);
  return j;
}

// Reading back: tolerant of absent keys, strict on types.
void Get(const json& j, const char* key, std::string& out) {
  if (auto it = j.find(key); it != j.end() && !it->is_null()) out = it->get<std::string>();
}
void Get(const json& j, const char* key, std::vector<std::string>& out) {
  if (auto it = j.find(key); it != j.end() && !it->is_null()) {
    if (it->is_string()) {
      out = {it->get<std::string>()};
    } else {
      out = it->get<std::vector<std::string>>();
    }
  }
}

Address AddressFrom(const json& j) {
  Address a;
  Get(j, "street", a.street);
  Get(j, "city", a.city);
  Get(j, "state", a.state);
  Get(j, "pcode", a.pcode);
  Get(j, "country", a.country);
  return a;
}

Contact ContactFrom(const json& j) {
  Contact c;
  Get(j, "name", c.name);
  Get(j, "organization", c.organization);
  Get(j, "email", c.email);
  Get(j, "phone", c.phone);
  Get(j, "fax", c.fax);
  Get(j, "handle", c.handle);
  if (j.contains("address")) c.address = AddressFrom(j["address"]);
  Get(j, "created", c.created);
  Get(j, "changed", c.changed);
  Get(j, "redacted", c.redacted);
  return c;
}

Network NetworkFrom(const json& j) {
  Network n;
  Get(j, "name", n.name);
  Get(j, "inetnum", n.inetnum);
  Get(j, "desc", n.desc);
  Get(j, "mnt-by", n.mnt_by);
  Get(j, "status", n.status);
  Get(j, "created", n.created);
  Get(j, "changed", n.changed);
  Get(j, "handle", n.handle);
  Get(j, "source", n.source);
  Get(j, "country", n.country);
  return n;
}

}  // namespace

json ToJson(const Contact& c) {
  json j = json::object();
  Put(j, "name", c.name);
  Put(j, "organization", c.organization);
  Put(j, "email", c.email);
  Put(j, "phone", c.phone);
  Put(j, "fax", c.fax);
  Put(j, "handle", c.handle);
  if (!c.address.empty()) j["address"] = ToJson(c.address);
  Put(j, "created", c.created);
  Put(j, "changed", c.changed);
  Put(j, "redacted", c.redacted);
  return j;
}

json ToJson(const Record& r) {
  json regy = json::object();
  json servers = json::array();
  for (const ServerHop& hop : r.regyinfo.servers) {
    servers.push_back({{"server", hop.server}, {"port", hop.port}, {"args", hop.args},
                       {"protocol", hop.protocol}});
  }
  regy["servers"] = std::move(servers);
  Put(regy, "registrar", r.regyinfo.registrar);
  Put(regy, "referrer", r.regyinfo.referrer);
  Put(regy, "type", r.regyinfo.type);

  const RegrInfo& g = r.regrinfo;
  json regr = json::object();
  regr["registered"] = g.registered;
  Put(regr, "disclaimer", g.disclaimer);
  if (!g.domain.empty()) regr["domain"] = ToJson(g.domain);
  if (!g.network.empty()) regr["network"] = ToJson(g.network);
  if (!g.as.empty()) regr["AS"] = ToJson(g.as);
  const std::pair<const char*, const Contact*> contacts[] = {
      {"owner", &g.owner}, {"admin", &g.admin}, {"tech", &g.tech},
      {"billing", &g.billing}, {"zone", &g.zone}, {"abuse", &g.abuse}};
  for (const auto& [key, contact] : contacts) {
    if (!contact->empty()) regr[key] = ToJson(*contact);
  }

  json j = json::object();
  j["regrinfo"] = std::move(regr);
  j["regyinfo"] = std::move(regy);
  j["rawdata"] = r.rawdata;
  j["throttled"] = r.throttled;
  j["protocol"] = r.protocol;
  if (r.fallback) {
    j["fallback"] = true;
    Put(j, "reason", r.reason);
    Put(j, "country", r.country);
  }
  return j;
}

json ToJson(const LookupReply& reply) {
  json j = json::object();
  if (!reply.id.empty()) j["id"] = reply.id;
  j["query"] = reply.query;
  j["normalized"] = reply.normalized;
  Put(j, "type", reply.type);
  j["outcome"] = reply.outcome;
  Put(j, "error", reply.error);
  Put(j, "message", reply.message);
  if (reply.fetched_ms != 0) j["fetched_ms"] = reply.fetched_ms;
  if (reply.seq != 0) j["seq"] = reply.seq;
  j["record"] = ToJson(reply.record);
  return j;
}

Result<Record> RecordFromJson(const json& j) {
  try {
    Record r;
    if (j.contains("rawdata")) r.rawdata = j["rawdata"].get<std::vector<std::string>>();
    if (j.contains("throttled")) r.throttled = j["throttled"].get<bool>();
    if (j.contains("fallback")) r.fallback = j["fallback"].get<bool>();
    Get(j, "reason", r.reason);
    Get(j, "country", r.country);
    Get(j, "protocol", r.protocol);
    if (j.contains("regyinfo")) {
      const json& y = j["regyinfo"];
      Get(y, "registrar", r.regyinfo.registrar);
      Get(y, "referrer", r.regyinfo.referrer);
      Get(y, "type", r.regyinfo.type);
      if (y.contains("servers")) {
        for (const json& s : y["servers"]) {
          ServerHop hop;
          Get(s, "server", hop.server);
          Get(s, "args", hop.args);
          Get(s, "protocol", hop.protocol);
          if (s.contains("port")) hop.port = s["port"].get<uint16_t>();
          r.regyinfo.servers.push_back(std::move(hop));
        }
      }
    }
    if (j.contains("regrinfo")) {
      const json& g = j["regrinfo"];
      RegrInfo& out = r.regrinfo;
      Get(g, "registered", out.registered);
      Get(g, "disclaimer", out.disclaimer);
      if (g.contains("domain")) {
        const json& d = g["domain"];
        Domain& dom = out.domain;
        Get(d, "name", dom.name);
        Get(d, "handle", dom.handle);
        Get(d, "status", dom.status);
        Get(d, "created", dom.created);
        Get(d, "changed", dom.changed);
        Get(d, "expires", dom.expires);
        Get(d, "sponsor", dom.sponsor);
        Get(d, "referer", dom.referer);
        if (d.contains("nserver")) {
          dom.nserver = d["nserver"].get<std::map<std::string, std::string>>();
        }
        Get(d, "desc", dom.desc);
        Get(d, "source", dom.source);
        Get(d, "dnssec", dom.dnssec);
        Get(d, "registrar_id", dom.registrar_id);
      }
      if (g.contains("network")) out.network = NetworkFrom(g["network"]);
      if (g.contains("AS")) out.as = NetworkFrom(g["AS"]);
      const std::pair<const char*, Contact*> contacts[] = {
          {"owner", &out.owner}, {"admin", &out.admin}, {"tech", &out.tech},
          {"billing", &out.billing}, {"zone", &out.zone}, {"abuse", &out.abuse}};
      for (const auto& [key, contact] : contacts) {
        if (g.contains(key)) *contact = ContactFrom(g[key]);
      }
    }
    return r;
  } catch (const std::exception& e) {
    return Status(ErrorCode::kMalformed, std::string("record json: ") + e.what());
  }
}

}  // namespace whoisq::schema
