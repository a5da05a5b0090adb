#include "schema/record.h"

#include <string_view>

namespace whoisq::schema {
namespace {

void PreferNonEmpty(std::string& into, const std::string& from) {
  if (!from.empty()) into = from;
}

void FillIfEmpty(std::string& into, const std::string& from) {
  if (into.empty()) into = from;
}

void MergeContact(Contact& into, const Contact& from) {
  if (!from.empty()) into = from;
}

}  // namespace

Record MergeReferral(Record registry, const Record& registrar) {
  Record out = std::move(registry);
  out.rawdata.insert(out.rawdata.end(), registrar.rawdata.begin(), registrar.rawdata.end());
  out.regyinfo.servers.insert(out.regyinfo.servers.end(), registrar.regyinfo.servers.begin(),
                              registrar.regyinfo.servers.end());
  if (!registrar.regyinfo.servers.empty()) {
    out.regyinfo.referrer = registrar.regyinfo.servers.front().server;
  }

  RegrInfo& r = out.regrinfo;
  const RegrInfo& g = registrar.regrinfo;
  // The registry is authoritative for existence; a registrar can only confirm.
  if (r.registered == "unknown") r.registered = g.registered;

  // Registry wins for dates, status and name servers; the registrar fills gaps.
  Domain& d = r.domain;
  const Domain& gd = g.domain;
  FillIfEmpty(d.name, gd.name);
  FillIfEmpty(d.handle, gd.handle);
  FillIfEmpty(d.created, gd.created);
  FillIfEmpty(d.changed, gd.changed);
  FillIfEmpty(d.expires, gd.expires);
  if (d.status.empty()) d.status = gd.status;
  if (d.nserver.empty()) d.nserver = gd.nserver;
  FillIfEmpty(d.dnssec, gd.dnssec);
  // The registrar knows its own name and URL best.
  PreferNonEmpty(d.sponsor, gd.sponsor);
  PreferNonEmpty(d.referer, gd.referer);
  FillIfEmpty(d.registrar_id, gd.registrar_id);

  // Registrar wins for contacts (thin registries publish none or redacted ones).
  MergeContact(r.owner, g.owner);
  MergeContact(r.admin, g.admin);
  MergeContact(r.tech, g.tech);
  MergeContact(r.billing, g.billing);
  MergeContact(r.zone, g.zone);
  MergeContact(r.abuse, g.abuse);
  FillIfEmpty(r.disclaimer, g.disclaimer);

  out.throttled = registrar.throttled;
  return out;
}

std::vector<std::string> SplitLines(std::string_view text) {
  std::vector<std::string> lines;
  size_t start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\n' || c == '\r') {
      lines.emplace_back(text.substr(start, i - start));
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      start = i + 1;
    }
  }
  if (start < text.size()) lines.emplace_back(text.substr(start));
  return lines;
}

}  // namespace whoisq::schema
