// RDAP end to end with real processes: whoisq-sim serving
// tests/fixtures/sim/rdap.toml (RDAP servers over HTTPS with certificates of
// a test CA generated here, WHOIS servers for the fallbacks), a broker and two
// workers on loopback (strict_resolve: the built-in IANA bootstrap names the
// real RDAP hosts, [resolve] maps them to the simulator). One test per case
// of the RDAP issue. Expected values: tests/fixtures/sim/README.md, "RDAP".
#include <chrono>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "client/client.h"
#include "tests/support/stack.h"

namespace whoisq::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

StackOptions RdapStack() {
  StackOptions o;
  o.sim_config = FixtureDir() + "/sim/rdap.toml";
  o.workers = 2;
  o.pki = true;
  o.prefer = "rdap";
  return o;
}

std::unique_ptr<client::Client> Connect(Stack& stack) {
  auto c = client::Client::Connect(stack.frontend());
  if (!c.ok()) {
    ADD_FAILURE() << c.status().ToString();
    return nullptr;
  }
  return std::move(*c);
}

std::optional<schema::LookupReply> Lookup(Stack& stack, const std::string& query,
                                          milliseconds timeout = milliseconds(20000)) {
  auto c = Connect(stack);
  if (!c) return std::nullopt;
  auto r = c->Lookup(query, timeout);
  if (!r.ok()) {
    ADD_FAILURE() << query << ": " << r.status().ToString();
    return std::nullopt;
  }
  return *r;
}

std::vector<std::string> Hops(const schema::Record& r) {
  std::vector<std::string> out;
  for (const auto& hop : r.regyinfo.servers) out.push_back(hop.protocol + " " + hop.server);
  return out;
}

int64_t Counter(const nlohmann::json& stats, const std::string& host, const std::string& key) {
  const auto& s = stats["servers"];
  if (!s.contains(host) || !s[host].contains(key)) {
    ADD_FAILURE() << host << " has no counter " << key;
    return -1;
  }
  return s[host][key].get<int64_t>();
}

int64_t Status(const nlohmann::json& stats, const std::string& host, int code) {
  const auto& s = stats["servers"][host];
  if (!s.contains("statuses")) return 0;
  const auto& st = s["statuses"];
  std::string key = std::to_string(code);
  return st.contains(key) ? st[key].get<int64_t>() : 0;
}

// Every simulated server: no limit breached, and the RDAP ones saw their own
// name in Host and SNI although whoisq connected to 127.0.0.1.
void ExpectCleanServers(Stack& stack, const std::string& except = "") {
  auto stats = stack.SimStats();
  ASSERT_TRUE(stats.contains("servers"));
  for (const auto& [host, s] : stats["servers"].items()) {
    SCOPED_TRACE(host);
    if (host != except) {
      EXPECT_EQ(s["breaches_concurrency"], 0);
      EXPECT_EQ(s["breaches_rate"], 0);
      EXPECT_EQ(s["breaches_daily"], 0);
    }
    if (s.contains("bad_host")) EXPECT_EQ(s["bad_host"], 0);
    if (s.contains("bad_sni")) EXPECT_EQ(s["bad_sni"], 0);
  }
}

// A thin gTLD registry over RDAP, then the registrar it names in its
// `related` link, each a token-gated hop; the record merges both.
TEST(RdapE2e, GtldGoesRegistryThenRegistrarByRelatedLink) {
  auto stack = Stack::Start(RdapStack());
  ASSERT_TRUE(stack);
  auto r = Lookup(*stack, "https://www.Example.com/some/page");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->outcome, "ok") << r->error << " " << r->message;
  EXPECT_EQ(r->normalized, "example.com");
  const schema::Record& rec = r->record;
  EXPECT_EQ(rec.protocol, "rdap");
  EXPECT_EQ(Hops(rec), (std::vector<std::string>{"rdap rdap.verisign.com", "rdap rdap.markmonitor.com"}));
  ASSERT_EQ(rec.regyinfo.servers.size(), 2u);
  EXPECT_EQ(rec.regyinfo.servers[0].args, "https://rdap.verisign.com/com/v1/domain/example.com");
  EXPECT_EQ(rec.regyinfo.servers[1].args, "https://rdap.markmonitor.com/rdap/domain/EXAMPLE.COM");
  EXPECT_EQ(rec.regrinfo.registered, "yes");
  EXPECT_EQ(rec.regrinfo.domain.name, "example.com");
  EXPECT_EQ(rec.regrinfo.domain.sponsor, "MarkMonitor Inc.");
  EXPECT_EQ(rec.regrinfo.domain.registrar_id, "292");
  // Dates from the registry (the registrar's differ by hours, same days).
  EXPECT_EQ(rec.regrinfo.domain.created, "1995-08-14");
  EXPECT_EQ(rec.regrinfo.domain.expires, "2027-08-13");
  EXPECT_EQ(rec.regrinfo.domain.changed, "2026-08-14");
  // Contacts from the registrar, with its RFC 9537 redactions.
  EXPECT_EQ(rec.regrinfo.owner.organization, "Example Holdings LLC");
  EXPECT_EQ(rec.regrinfo.owner.address.country, "US");
  EXPECT_TRUE(rec.regrinfo.owner.name.empty());
  EXPECT_TRUE(rec.regrinfo.owner.email.empty());  // "REDACTED FOR PRIVACY" is not an address
  EXPECT_NE(std::find(rec.regrinfo.owner.redacted.begin(), rec.regrinfo.owner.redacted.end(), "email"),
            rec.regrinfo.owner.redacted.end());
  EXPECT_EQ(rec.regrinfo.abuse.email, "abusecomplaints@markmonitor.com");
  // The raw JSON of both answers is kept.
  bool registry_json = false, registrar_json = false;
  for (const auto& line : rec.rawdata) {
    registry_json |= line.find("2336799_DOMAIN_COM-VRSN") != std::string::npos;
    registrar_json |= line.find("Example Holdings LLC") != std::string::npos;
  }
  EXPECT_TRUE(registry_json);
  EXPECT_TRUE(registrar_json);

  auto stats = stack->SimStats();
  EXPECT_EQ(Counter(stats, "rdap.verisign.com", "served"), 1);
  EXPECT_EQ(Counter(stats, "rdap.markmonitor.com", "served"), 1);
  EXPECT_EQ(Counter(stats, "whois.iana.org", "queries"), 0);  // the bootstrap, not IANA's WHOIS

  // A name the registry does not know: 404 is an answer, not a failure.
  auto nx = Lookup(*stack, "nx-nothing.com");
  ASSERT_TRUE(nx);
  EXPECT_EQ(nx->outcome, "ok");
  EXPECT_EQ(nx->record.protocol, "rdap");
  EXPECT_EQ(nx->record.regrinfo.registered, "no");
  stats = stack->SimStats();
  EXPECT_EQ(Status(stats, "rdap.verisign.com", 404), 1);
  EXPECT_EQ(Counter(stats, "rdap.markmonitor.com", "queries"), 1);  // no registrar hop
  ExpectCleanServers(*stack);
}

// A ccTLD with no RDAP server in the bootstrap goes WHOIS (IANA, registry)
// and never touches an RDAP server.
TEST(RdapE2e, CctldWithoutRdapGoesWhois) {
  auto stack = Stack::Start(RdapStack());
  ASSERT_TRUE(stack);
  auto r = Lookup(*stack, "example.ru");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->outcome, "ok") << r->error << " " << r->message;
  EXPECT_EQ(r->record.protocol, "whois");
  EXPECT_EQ(Hops(r->record), (std::vector<std::string>{"whois whois.tcinet.ru"}));
  EXPECT_EQ(r->record.regrinfo.registered, "yes");
  EXPECT_EQ(r->record.regrinfo.domain.created, "2004-03-01");
  EXPECT_TRUE(r->message.empty()) << r->message;
  auto stats = stack->SimStats();
  EXPECT_EQ(Counter(stats, "whois.iana.org", "queries"), 1);
  EXPECT_EQ(Counter(stats, "rdap.tcinet.ru", "queries"), 0);
  ExpectCleanServers(*stack);
}

// whoisq believes rdap.centralnic.com allows 10/s; it allows 1/s and answers
// a breach with 429 + Retry-After: 3. The second of two lookups is throttled
// once, the scheduler pauses the server for the 3 s it asked (not the 2 s of
// its own first back-off), and the retry succeeds.
TEST(RdapE2e, TooManyRequestsWithRetryAfterPausesTheServerThenSucceeds) {
  StackOptions o = RdapStack();
  o.host_limit_scale["rdap.centralnic.com"] = 10.0;
  auto stack = Stack::Start(o);
  ASSERT_TRUE(stack);
  auto c = Connect(*stack);
  ASSERT_TRUE(c);
  for (const char* name : {"first.xyz", "second.xyz"}) {
    schema::LookupRequest req;
    req.id = name;
    req.query = name;
    ASSERT_TRUE(c->Send(req).ok());
  }
  std::map<std::string, schema::LookupReply> replies;
  while (replies.size() < 2) {
    auto reply = c->Receive(milliseconds(20000));
    ASSERT_TRUE(reply.ok()) << reply.status().ToString();
    if (reply->is_accepted || reply->is_error) continue;
    replies[reply->result.id] = reply->result;
  }
  for (const auto& [id, r] : replies) {
    SCOPED_TRACE(id);
    EXPECT_EQ(r.outcome, "ok") << r.error << " " << r.message;
    EXPECT_EQ(r.record.protocol, "rdap");
    EXPECT_EQ(r.record.regrinfo.domain.sponsor, "Atak Domain Hosting");
    EXPECT_EQ(r.record.regrinfo.domain.created, "2020-02-02");
  }
  const int64_t slower = std::max(replies["first.xyz"].elapsed_ms, replies["second.xyz"].elapsed_ms);
  EXPECT_GE(slower, 2900) << "the retry did not wait for Retry-After";
  EXPECT_LT(slower, 10000);
  auto stats = stack->SimStats();
  EXPECT_EQ(Status(stats, "rdap.centralnic.com", 429), 1);
  EXPECT_EQ(Counter(stats, "rdap.centralnic.com", "served"), 2);
  EXPECT_EQ(Counter(stats, "rdap.centralnic.com", "breaches_rate"), 1);  // the 429 itself, no more
  // The operator sees the throttle in the scheduler's view.
  auto s = c->Stats(milliseconds(5000));
  ASSERT_TRUE(s.ok());
  bool seen = false;
  for (const auto& server : s->servers) {
    if (server.server == "rdap.centralnic.com") {
      seen = true;
      EXPECT_EQ(server.throttles, 1u);
    }
  }
  EXPECT_TRUE(seen);
  ExpectCleanServers(*stack, "rdap.centralnic.com");
}

// The RDAP server of .org refuses every connection: the lookup falls back
// to WHOIS (IANA -> PIR -> GoDaddy) and says why; the next .org lookup skips
// the failed server instead of paying for the failure again.
TEST(RdapE2e, RdapServerDownFallsBackToWhois) {
  auto stack = Stack::Start(RdapStack());
  ASSERT_TRUE(stack);
  auto r = Lookup(*stack, "example.org");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->outcome, "ok") << r->error << " " << r->message;
  EXPECT_EQ(r->record.protocol, "whois");
  EXPECT_EQ(Hops(r->record), (std::vector<std::string>{"whois whois.pir.org", "whois whois.godaddy.com"}));
  EXPECT_EQ(r->message.rfind("rdap: ", 0), 0u) << r->message;
  auto stats = stack->SimStats();
  const int64_t refused = Counter(stats, "rdap.publicinterestregistry.org", "connections");
  EXPECT_GE(refused, 1);
  auto again = Lookup(*stack, "another.org");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->outcome, "ok");
  EXPECT_EQ(again->record.protocol, "whois");
  stats = stack->SimStats();
  EXPECT_EQ(Counter(stats, "rdap.publicinterestregistry.org", "connections"), refused);
  EXPECT_EQ(Counter(stats, "whois.iana.org", "queries"), 1);  // .org's server is remembered
  ExpectCleanServers(*stack);
}

// A certificate that does not verify is refused with a typed error (the
// lookup then tries WHOIS, which has no server for .app here, so it ends in
// a fallback whose message names the TLS failure), unless the operator lists
// the host in [rdap] insecure.
TEST(RdapE2e, UnverifiedCertificateIsRefusedUnlessConfiguredInsecure) {
  {
    auto stack = Stack::Start(RdapStack());
    ASSERT_TRUE(stack);
    auto r = Lookup(*stack, "example.app");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->outcome, "fallback");
    EXPECT_NE(r->message.find("rdap: tls_error"), std::string::npos) << r->message;
    EXPECT_NE(r->message.find("certificate verify failed"), std::string::npos) << r->message;
    auto stats = stack->SimStats();
    EXPECT_GE(Counter(stats, "pubapi.registry.google", "tls_handshake_failures"), 1);
    EXPECT_EQ(Counter(stats, "pubapi.registry.google", "served"), 0);
  }
  StackOptions o = RdapStack();
  o.rdap_insecure = {"pubapi.registry.google"};
  auto stack = Stack::Start(o);
  ASSERT_TRUE(stack);
  auto r = Lookup(*stack, "example.app");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->outcome, "ok") << r->error << " " << r->message;
  EXPECT_EQ(r->record.protocol, "rdap");
  EXPECT_EQ(r->record.regrinfo.domain.sponsor, "Example App Registrar");
  ExpectCleanServers(*stack);
}

// IP addresses and AS numbers go to their RIR's RDAP server from the
// bootstrap (no IANA WHOIS hop), and map into network / AS.
TEST(RdapE2e, IpAndAsGoToTheRirsRdapServer) {
  auto stack = Stack::Start(RdapStack());
  ASSERT_TRUE(stack);
  auto ip = Lookup(*stack, "13.64.0.1");
  ASSERT_TRUE(ip);
  EXPECT_EQ(ip->outcome, "ok") << ip->error << " " << ip->message;
  EXPECT_EQ(ip->record.protocol, "rdap");
  EXPECT_EQ(Hops(ip->record), (std::vector<std::string>{"rdap rdap.arin.net"}));
  EXPECT_EQ(ip->record.regrinfo.network.inetnum, "13.64.0.0 - 13.107.255.255");
  EXPECT_EQ(ip->record.regrinfo.network.name, "MSFT");
  auto as = Lookup(*stack, "AS13335");
  ASSERT_TRUE(as);
  EXPECT_EQ(as->outcome, "ok") << as->error << " " << as->message;
  EXPECT_EQ(as->record.protocol, "rdap");
  EXPECT_EQ(as->record.regrinfo.as.name, "CLOUDFLARENET");
  auto stats = stack->SimStats();
  EXPECT_EQ(Counter(stats, "whois.iana.org", "queries"), 0);
  EXPECT_EQ(Counter(stats, "rdap.arin.net", "served"), 2);
  ExpectCleanServers(*stack);
}

// The bootstrap is refreshed from [rdap] bootstrap through the scheduler; a
// newer dns.json that adds .ru moves .ru to RDAP, and survives a restart.
TEST(RdapE2e, BootstrapRefreshAddsAServerAndSurvivesARestart) {
  StackOptions o = RdapStack();
  o.rdap_bootstrap = "https://data.iana.org/rdap/";
  auto stack = Stack::Start(o);
  ASSERT_TRUE(stack);
  auto c = Connect(*stack);
  ASSERT_TRUE(c);
  auto refreshed = [&](client::Client& cl) {
    for (int i = 0; i < 100; ++i) {
      auto s = cl.Stats(milliseconds(5000));
      if (s.ok() && s->bootstrap["dns.json"] == "2026-11-01T00:00:00Z") return true;
      std::this_thread::sleep_for(milliseconds(100));
    }
    return false;
  };
  ASSERT_TRUE(refreshed(*c)) << "dns.json was not refreshed";
  auto r = Lookup(*stack, "example.ru");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->outcome, "ok") << r->error << " " << r->message;
  EXPECT_EQ(r->record.protocol, "rdap");
  EXPECT_EQ(Hops(r->record), (std::vector<std::string>{"rdap rdap.tcinet.ru"}));
  EXPECT_EQ(r->record.regrinfo.domain.sponsor, "RU-CENTER-RU");
  // dns, ipv4, ipv6 and asn.json were asked for, once each; the simulated
  // IANA has only dns.json (the other three 404s keep the built-in files).
  nlohmann::json stats;
  for (int i = 0; i < 50; ++i) {
    stats = stack->SimStats();
    // A status is counted once its response is written, after the query.
    if (Status(stats, "data.iana.org", 200) + Status(stats, "data.iana.org", 404) >= 4) break;
    std::this_thread::sleep_for(milliseconds(100));
  }
  EXPECT_EQ(Counter(stats, "data.iana.org", "queries"), 4)
      << ReadFile(stack->dir().File("broker.log")) << ReadFile(stack->dir().File("worker.log"));
  EXPECT_EQ(Status(stats, "data.iana.org", 200), 1);
  EXPECT_EQ(Status(stats, "data.iana.org", 404), 3);
  EXPECT_EQ(Counter(stats, "whois.tcinet.ru", "queries"), 0);

  ASSERT_TRUE(stack->RestartBroker(SIGKILL));
  auto c2 = Connect(*stack);
  ASSERT_TRUE(c2);
  auto s = c2->Stats(milliseconds(5000));
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->bootstrap["dns.json"], "2026-11-01T00:00:00Z");  // from the store, before any refresh
  ExpectCleanServers(*stack);
}

}  // namespace
}  // namespace whoisq::testing
