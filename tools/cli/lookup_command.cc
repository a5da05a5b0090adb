#include "tools/cli/lookup_command.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "client/client.h"
#include "schema/json.h"
#include "tools/cli/broker_endpoint.h"

namespace whoisq::cli {
namespace {

using Clock = std::chrono::steady_clock;

struct LookupFlags {
  BrokerFlags broker;
  std::vector<std::string> names;
  std::string file;
  std::string out;
  bool json = false;
  bool fresh = false;
  uint32_t window = 256;
  double timeout_s = 60;
};

std::string Join(const std::vector<std::string>& v, const char* sep) {
  std::string s;
  for (const auto& x : v) {
    if (!s.empty()) s += sep;
    s += x;
  }
  return s;
}

// A short human summary of one result.
void PrintHuman(const schema::LookupReply& r) {
  std::string chain;
  for (const auto& hop : r.record.regyinfo.servers) {
    if (!chain.empty()) chain += " -> ";
    chain += hop.server;
    if (hop.protocol != "whois") chain += " (" + hop.protocol + ")";
  }
  std::printf("%s  [%s%s%s]%s%s\n", r.normalized.empty() ? r.query.c_str() : r.normalized.c_str(),
              r.outcome.c_str(), r.error.empty() ? "" : ": ", r.error.c_str(),
              chain.empty() ? "" : "  via ", chain.c_str());
  if (!r.message.empty()) std::printf("  note:       %s\n", r.message.c_str());
  const auto& g = r.record.regrinfo;
  std::printf("  registered: %s\n", g.registered.c_str());
  if (r.record.fallback && !r.record.country.empty()) {
    std::printf("  country:    %s (from the TLD)\n", r.record.country.c_str());
  }
  const auto& d = g.domain;
  if (!d.sponsor.empty()) std::printf("  registrar:  %s\n", d.sponsor.c_str());
  if (!d.created.empty()) std::printf("  created:    %s\n", d.created.c_str());
  if (!d.changed.empty()) std::printf("  changed:    %s\n", d.changed.c_str());
  if (!d.expires.empty()) std::printf("  expires:    %s\n", d.expires.c_str());
  if (!d.status.empty()) std::printf("  status:     %s\n", Join(d.status, ", ").c_str());
  if (!d.nserver.empty()) {
    std::vector<std::string> ns;
    for (const auto& [name, ip] : d.nserver) ns.push_back(name);
    std::printf("  nserver:    %s\n", Join(ns, ", ").c_str());
  }
  for (const auto& [label, c] : {std::pair{"owner", &g.owner}, std::pair{"admin", &g.admin},
                                 std::pair{"tech", &g.tech}}) {
    std::string who = c->organization.empty() ? c->name : c->name.empty() ? c->organization
                                                        : c->name + ", " + c->organization;
    if (!c->email.empty()) who += " <" + c->email + ">";
    if (!c->redacted.empty()) who += " (redacted: " + Join(c->redacted, ", ") + ")";
    if (!who.empty()) std::printf("  %-6s      %s\n", (std::string(label) + ":").c_str(), who.c_str());
  }
  if (!g.network.empty()) std::printf("  network:    %s %s\n", g.network.inetnum.c_str(), g.network.name.c_str());
  if (!g.as.empty()) std::printf("  AS:         %s %s\n", g.as.inetnum.c_str(), g.as.name.c_str());
}

bool IsFailure(const schema::LookupReply& r) { return r.outcome == schema::outcome::kError; }

int RunNames(const LookupFlags& f, client::Client& c) {
  int failures = 0;
  std::vector<std::string> names = f.names;
  // Pipelined: send all, then print in the order given.
  for (size_t i = 0; i < names.size(); ++i) {
    schema::LookupRequest req;
    req.id = std::to_string(i);
    req.query = names[i];
    req.fresh = f.fresh;
    if (auto st = c.Send(req); !st.ok()) {
      std::fprintf(stderr, "whoisq: %s\n", st.ToString().c_str());
      return 1;
    }
  }
  std::vector<std::unique_ptr<schema::LookupReply>> replies(names.size());
  size_t got = 0;
  auto timeout = std::chrono::milliseconds(static_cast<int64_t>(f.timeout_s * 1000));
  while (got < names.size()) {
    auto reply = c.Receive(timeout);
    if (!reply.ok()) {
      std::fprintf(stderr, "whoisq: %s after %.0f s (is the broker running?)\n",
                   reply.status().ToString().c_str(), f.timeout_s);
      return 1;
    }
    if (reply->is_error) {
      std::fprintf(stderr, "whoisq: broker: %s: %s\n", reply->error.error.c_str(),
                   reply->error.message.c_str());
      return 1;
    }
    size_t i = std::strtoul(reply->result.id.c_str(), nullptr, 10);
    if (i >= names.size() || replies[i]) continue;
    replies[i] = std::make_unique<schema::LookupReply>(std::move(reply->result));
    ++got;
  }
  for (const auto& r : replies) {
    if (IsFailure(*r)) ++failures;
    if (f.json) {
      std::printf("%s\n", schema::ToJson(*r).dump(2, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    } else {
      PrintHuman(*r);
    }
  }
  return failures ? 1 : 0;
}

int RunFile(const LookupFlags& f, client::Client& c) {
  std::ifstream in(f.file);
  if (!in) {
    std::fprintf(stderr, "whoisq: cannot read %s\n", f.file.c_str());
    return 2;
  }
  std::vector<std::string> names;
  for (std::string line; std::getline(in, line);) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.pop_back();
    size_t start = line.find_first_not_of(" \t");
    if (start == std::string::npos || line[start] == '#') continue;
    names.push_back(line.substr(start));
  }
  std::ofstream file_out;
  std::ostream* out = &std::cout;
  if (!f.out.empty() && f.out != "-") {
    file_out.open(f.out, std::ios::trunc);
    if (!file_out) {
      std::fprintf(stderr, "whoisq: cannot write %s\n", f.out.c_str());
      return 2;
    }
    out = &file_out;
  }
  const bool progress = isatty(STDERR_FILENO);
  const auto started = Clock::now();
  auto last_progress = started;
  size_t next = 0, done = 0, errors = 0, fallbacks = 0, cached = 0;
  std::vector<bool> answered(names.size(), false);
  auto timeout = std::chrono::milliseconds(static_cast<int64_t>(f.timeout_s * 1000));
  while (done < names.size()) {
    while (next < names.size() && next - done < f.window) {
      schema::LookupRequest req;
      req.id = std::to_string(next);
      req.query = names[next];
      req.fresh = f.fresh;
      if (auto st = c.Send(req); !st.ok()) {
        std::fprintf(stderr, "whoisq: %s\n", st.ToString().c_str());
        return 1;
      }
      ++next;
    }
    auto reply = c.Receive(timeout);
    if (!reply.ok()) {
      std::fprintf(stderr, "\nwhoisq: no reply for %.0f s; %zu of %zu answered\n", f.timeout_s, done,
                   names.size());
      return 1;
    }
    if (reply->is_error) {
      std::fprintf(stderr, "\nwhoisq: broker: %s: %s\n", reply->error.error.c_str(),
                   reply->error.message.c_str());
      return 1;
    }
    const schema::LookupReply& r = reply->result;
    size_t i = std::strtoul(r.id.c_str(), nullptr, 10);
    if (i >= names.size() || answered[i]) continue;
    answered[i] = true;
    ++done;
    if (IsFailure(r)) ++errors;
    if (r.outcome == schema::outcome::kFallback) ++fallbacks;
    if (r.outcome == schema::outcome::kCached) ++cached;
    *out << schema::ToJson(r).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
    auto now = Clock::now();
    if (progress && (now - last_progress > std::chrono::milliseconds(200) || done == names.size())) {
      double secs = std::chrono::duration<double>(now - started).count();
      std::fprintf(stderr, "\r%zu/%zu done  %.1f/s  %zu cached  %zu fallback  %zu errors   ", done,
                   names.size(), secs > 0 ? done / secs : 0.0, cached, fallbacks, errors);
      last_progress = now;
    }
  }
  out->flush();
  double secs = std::chrono::duration<double>(Clock::now() - started).count();
  std::fprintf(stderr, "%s%zu lookups in %.2f s: %.1f lookups/s (%zu cached, %zu fallback, %zu errors)\n",
               progress ? "\n" : "", done, secs, secs > 0 ? done / secs : 0.0, cached, fallbacks, errors);
  return errors ? 1 : 0;
}

}  // namespace

void AddLookupCommand(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<LookupFlags>();
  CLI::App* sub = app.add_subcommand("lookup", "Look up domains, URLs, IPs or AS numbers");
  AddBrokerFlags(sub, flags->broker, "broker client endpoint (default: [broker] frontend)");
  sub->add_option("names", flags->names, "names to look up");
  sub->add_flag("--json", flags->json, "print each result as JSON");
  sub->add_flag("--fresh", flags->fresh, "bypass the store: query the servers again");
  sub->add_option("--file", flags->file, "read names from FILE, one per line ('#' comments)");
  sub->add_option("--out", flags->out, "with --file: write JSON lines here (default: stdout)");
  sub->add_option("--window", flags->window, "with --file: requests in flight at once")
      ->check(CLI::Range(1u, 1000000u));
  sub->add_option("--timeout", flags->timeout_s, "seconds to wait for a reply")
      ->check(CLI::PositiveNumber);
  sub->callback([flags, &exit_code] {
    if (flags->names.empty() == flags->file.empty()) {
      std::fprintf(stderr, "whoisq lookup: give names or --file, not both and not neither\n");
      exit_code = 2;
      return;
    }
    auto c = ConnectClient(flags->broker, exit_code);
    if (!c) return;
    exit_code = flags->file.empty() ? RunNames(*flags, *c) : RunFile(*flags, *c);
  });
}

}  // namespace whoisq::cli
