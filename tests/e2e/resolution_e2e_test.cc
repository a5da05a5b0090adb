// Resolution proved end to end with real processes: whoisq-sim serving
// tests/fixtures/sim/resolution.toml, a broker and two workers on loopback
// (strict_resolve). One test per case of the resolution issue: referral loop,
// referral to a host that does not exist, referral to a URL, IPv4 through
// IANA -> ARIN -> LACNIC (which carries registro.br's answer), IPv6, CIDR, AS
// number, ccTLD servers that refuse, a TLD with no WHOIS server; and the
// Debian `whois` client compared with whoisq on the final registrar. Expected
// values: tests/fixtures/sim/README.md, "Resolution cases".
#include <cctype>
#include <chrono>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include <gtest/gtest.h>

#include "client/client.h"
#include "tests/support/stack.h"

namespace whoisq::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

StackOptions ResolutionStack() {
  StackOptions o;
  o.sim_config = FixtureDir() + "/sim/resolution.toml";
  o.workers = 2;
  return o;
}

// `[network] timeout_s` of the config the stack generated: every case must be
// answered within it (each simulated server answers at once, so even a
// four-hop chain has no reason to take longer than one hop's timeout).
int64_t ConfiguredTimeoutMs(const Stack& stack) {
  std::istringstream config(ReadFile(stack.config_path()));
  std::smatch m;
  static const std::regex kKey(R"(^timeout_s\s*=\s*(\d+)\s*$)");
  for (std::string line; std::getline(config, line);) {
    if (std::regex_match(line, m, kKey)) return std::stoll(m[1]) * 1000;
  }
  ADD_FAILURE() << "no timeout_s in " << stack.config_path();
  return 0;
}

struct Answer {
  schema::LookupReply reply;
  int64_t wall_ms = 0;  // measured by the test: send to reply
};

// Looks `query` up and checks it was answered within the configured timeout.
std::optional<Answer> Resolve(Stack& stack, const std::string& query) {
  auto c = client::Client::Connect(stack.frontend());
  if (!c.ok()) {
    ADD_FAILURE() << c.status().ToString();
    return std::nullopt;
  }
  const int64_t timeout_ms = ConfiguredTimeoutMs(stack);
  auto start = std::chrono::steady_clock::now();
  // Wait longer than the bound so that a slow answer is reported as slow
  // (with its outcome) rather than as missing.
  auto r = (*c)->Lookup(query, milliseconds(3 * timeout_ms));
  Answer a;
  a.wall_ms = std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - start).count();
  if (!r.ok()) {
    ADD_FAILURE() << query << ": no answer within " << 3 * timeout_ms << " ms: " << r.status().ToString();
    return std::nullopt;
  }
  a.reply = *r;
  EXPECT_LT(a.wall_ms, timeout_ms) << query << " answered after " << a.wall_ms << " ms";
  EXPECT_LT(a.reply.elapsed_ms, timeout_ms) << query;
  return a;
}

std::vector<std::string> Servers(const schema::Record& r) {
  std::vector<std::string> out;
  for (const auto& hop : r.regyinfo.servers) out.push_back(hop.server);
  return out;
}

std::vector<std::string> Args(const schema::Record& r) {
  std::vector<std::string> out;
  for (const auto& hop : r.regyinfo.servers) out.push_back(hop.args);
  return out;
}

bool HasRawLine(const schema::Record& r, const std::string& line) {
  for (const auto& l : r.rawdata) {
    if (l == line) return true;
  }
  return false;
}

int64_t Counter(const nlohmann::json& stats, const std::string& host, const std::string& key) {
  if (!stats["servers"].contains(host)) {
    ADD_FAILURE() << host << " is not simulated";
    return -1;
  }
  return stats["servers"][host][key].get<int64_t>();
}

// No simulated server counted a breach of any limit.
void ExpectNoBreaches(Stack& stack) {
  auto stats = stack.SimStats();
  ASSERT_TRUE(stats.contains("servers"));
  for (const auto& [host, s] : stats["servers"].items()) {
    SCOPED_TRACE(host);
    EXPECT_EQ(s["breaches_concurrency"], 0);
    EXPECT_EQ(s["breaches_rate"], 0);
    EXPECT_EQ(s["breaches_daily"], 0);
  }
}

// ---- domains: the referral chain --------------------------------------------

TEST(Resolution, ThinRegistryToRegistrar) {
  auto stack = Stack::Start(ResolutionStack());
  ASSERT_NE(stack, nullptr);
  auto a = Resolve(*stack, "example.com");
  ASSERT_TRUE(a);
  const auto& r = a->reply;
  EXPECT_EQ(r.outcome, "ok") << r.error << " " << r.message;
  EXPECT_EQ(r.error, "");
  EXPECT_EQ(r.message, "");
  EXPECT_EQ(Servers(r.record), (std::vector<std::string>{"whois.verisign-grs.com", "whois.markmonitor.com"}));
  EXPECT_EQ(Args(r.record), (std::vector<std::string>{"domain example.com", "example.com"}));
  EXPECT_EQ(r.record.regyinfo.referrer, "whois.markmonitor.com");
  EXPECT_EQ(r.record.regrinfo.domain.sponsor, "MarkMonitor Inc.");
  EXPECT_EQ(r.record.regrinfo.domain.created, "1997-09-15");
  ExpectNoBreaches(*stack);
}

// Verisign names Network Solutions, whose answer names Verisign again. The
// chain stops at the server asked before and answers with what both gave.
TEST(Resolution, ReferralLoopEndsWithTheGatheredData) {
  auto stack = Stack::Start(ResolutionStack());
  ASSERT_NE(stack, nullptr);
  auto a = Resolve(*stack, "loop-a.com");
  ASSERT_TRUE(a);
  const auto& r = a->reply;
  EXPECT_EQ(r.outcome, "ok") << r.error << " " << r.message;
  EXPECT_EQ(r.error, "referral_loop");  // outcome ok: the chain ended early
  EXPECT_EQ(r.message, "referral_loop: whois.verisign-grs.com:43 asked before");
  EXPECT_EQ(Servers(r.record),
            (std::vector<std::string>{"whois.verisign-grs.com", "whois.networksolutions.com"}));
  EXPECT_EQ(r.record.regrinfo.registered, "yes");
  // The registrar wins for its own name, the registry for dates.
  EXPECT_EQ(r.record.regrinfo.domain.sponsor, "NETWORK SOLUTIONS, LLC.");
  EXPECT_EQ(r.record.regrinfo.domain.created, "1997-09-15");
  EXPECT_EQ(r.record.regrinfo.domain.expires, "2028-09-14");
  EXPECT_FALSE(r.record.fallback);
  auto stats = stack->SimStats();
  EXPECT_EQ(Counter(stats, "whois.verisign-grs.com", "queries"), 1);  // not asked a second time
  EXPECT_EQ(Counter(stats, "whois.networksolutions.com", "queries"), 1);
  ExpectNoBreaches(*stack);
}

// Verisign names whois.tucows.com, which is not in [resolve]: with
// strict_resolve it is unreachable, and the registry's data is the answer.
TEST(Resolution, ReferralToAMissingHostAnswersWithTheRegistryData) {
  auto stack = Stack::Start(ResolutionStack());
  ASSERT_NE(stack, nullptr);
  auto a = Resolve(*stack, "gone-a.com");
  ASSERT_TRUE(a);
  const auto& r = a->reply;
  EXPECT_EQ(r.outcome, "ok") << r.error << " " << r.message;
  EXPECT_EQ(r.error, "unreachable");  // outcome ok: the registry's data, the registrar failed
  EXPECT_EQ(r.message.rfind("referral to whois.tucows.com failed: unreachable: ", 0), 0u) << r.message;
  EXPECT_EQ(Servers(r.record), (std::vector<std::string>{"whois.verisign-grs.com"}));
  EXPECT_EQ(r.record.regrinfo.registered, "yes");
  EXPECT_EQ(r.record.regrinfo.domain.sponsor, "Tucows Domains Inc.");
  EXPECT_EQ(r.record.regrinfo.domain.created, "1997-09-15");
  EXPECT_FALSE(r.record.fallback);
  EXPECT_EQ(stack->SimTotal("queries"), 2u);  // IANA for .com, Verisign
  ExpectNoBreaches(*stack);
}

// "Registrar WHOIS Server: http://whois.hichina.com/" is a URL, not a WHOIS
// server: no hop, and nothing to report.
TEST(Resolution, ReferralToAUrlIsNotFollowed) {
  auto stack = Stack::Start(ResolutionStack());
  ASSERT_NE(stack, nullptr);
  auto a = Resolve(*stack, "url-a.com");
  ASSERT_TRUE(a);
  const auto& r = a->reply;
  EXPECT_EQ(r.outcome, "ok") << r.error << " " << r.message;
  EXPECT_EQ(r.error, "");
  EXPECT_EQ(r.message, "");
  EXPECT_EQ(Servers(r.record), (std::vector<std::string>{"whois.verisign-grs.com"}));
  EXPECT_EQ(r.record.regyinfo.referrer, "");
  EXPECT_EQ(r.record.regrinfo.domain.sponsor, "Alibaba Cloud Computing (Beijing) Co., Ltd.");
  EXPECT_EQ(stack->SimTotal("queries"), 2u);
  ExpectNoBreaches(*stack);
}

// ---- addresses and AS numbers -----------------------------------------------

// IANA refers 143/8 (legacy, administered by ARIN) to ARIN; ARIN's answer for
// an ERX block says "ReferralServer: whois://whois.lacnic.net"; LACNIC's joint
// whois answers with registro.br's object for the Brazilian block, after
// "% Brazilian resource: whois.registro.br". That line is not a referral (the
// national registry's answer is already there), so whoisq asks registro.br
// nothing.
TEST(Resolution, Ipv4ThroughIanaArinLacnicToTheNationalRegistryData) {
  auto stack = Stack::Start(ResolutionStack());
  ASSERT_NE(stack, nullptr);
  auto a = Resolve(*stack, "143.106.10.1");
  ASSERT_TRUE(a);
  const auto& r = a->reply;
  EXPECT_EQ(r.type, "ip");
  EXPECT_EQ(r.outcome, "ok") << r.error << " " << r.message;
  EXPECT_EQ(r.error, "");
  EXPECT_EQ(r.message, "");
  EXPECT_EQ(r.record.regyinfo.type, "ip");
  // IANA's answer only chooses the first server; it is not part of the record
  // (as for domains, whose IANA answer serves the whole TLD).
  EXPECT_EQ(Servers(r.record), (std::vector<std::string>{"whois.arin.net", "whois.lacnic.net"}));
  EXPECT_EQ(Args(r.record), (std::vector<std::string>{"n + 143.106.10.1", "143.106.10.1"}));
  // The more specific registry's record wins; every hop's text is kept.
  EXPECT_EQ(r.record.regrinfo.network.inetnum, "143.106.0.0/16");
  EXPECT_EQ(r.record.regrinfo.owner.organization, "Universidade Estadual de Campinas");
  EXPECT_EQ(r.record.regrinfo.as.inetnum, "AS53187");
  EXPECT_TRUE(HasRawLine(r.record, "NetType:        Transferred to LACNIC"));
  EXPECT_TRUE(HasRawLine(r.record, "ReferralServer:  whois://whois.lacnic.net"));
  EXPECT_TRUE(HasRawLine(r.record, "% Brazilian resource: whois.registro.br"));
  auto stats = stack->SimStats();
  EXPECT_EQ(Counter(stats, "whois.iana.org", "queries"), 1);
  EXPECT_EQ(Counter(stats, "whois.arin.net", "queries"), 1);
  EXPECT_EQ(Counter(stats, "whois.lacnic.net", "queries"), 1);
  EXPECT_EQ(Counter(stats, "whois.registro.br", "queries"), 0);
  ExpectNoBreaches(*stack);
}

// registro.br's object is one inetnum whose attributes include the origin
// AS (`aut-num:` on the line after `inetnum:`), then owner, country and
// dates. Those belong to the network; the AS number is the network's origin.
TEST(Resolution, NationalRegistryObjectFillsTheNetwork) {
  auto stack = Stack::Start(ResolutionStack());
  ASSERT_NE(stack, nullptr);
  auto a = Resolve(*stack, "143.106.10.1");
  ASSERT_TRUE(a);
  const auto& n = a->reply.record.regrinfo.network;
  EXPECT_EQ(n.inetnum, "143.106.0.0/16");
  EXPECT_EQ(a->reply.record.regrinfo.as.inetnum, "AS53187");
  EXPECT_EQ(n.country, "BR");
  EXPECT_EQ(n.created, "1989-06-22");
  EXPECT_EQ(n.changed, "2019-09-04");
  ExpectNoBreaches(*stack);
}

TEST(Resolution, Ipv6ThroughIanaToRipe) {
  auto stack = Stack::Start(ResolutionStack());
  ASSERT_NE(stack, nullptr);
  auto a = Resolve(*stack, "2001:67C:2E8:0:0:0:0:1");
  ASSERT_TRUE(a);
  const auto& r = a->reply;
  EXPECT_EQ(r.normalized, "2001:67c:2e8::1");
  EXPECT_EQ(r.type, "ip");
  EXPECT_EQ(r.outcome, "ok") << r.error << " " << r.message;
  EXPECT_EQ(Servers(r.record), (std::vector<std::string>{"whois.ripe.net"}));
  EXPECT_EQ(Args(r.record), (std::vector<std::string>{"-V whoisq -r 2001:67c:2e8::1"}));
  EXPECT_EQ(r.record.regrinfo.network.inetnum, "2001:67c:2e8::/48");
  EXPECT_EQ(r.record.regrinfo.network.name, "RIPE-NCC");
  EXPECT_EQ(r.record.regrinfo.network.country, "NL");
  EXPECT_EQ(r.record.regrinfo.network.status, "ASSIGNED");
  EXPECT_EQ(r.record.regrinfo.network.source, "RIPE");
  EXPECT_EQ(stack->SimStats()["servers"]["whois.iana.org"]["queries_by_name"]["2001:67c:2e8::1"], 1);
  ExpectNoBreaches(*stack);
}

TEST(Resolution, CidrThroughIanaToRipe) {
  auto stack = Stack::Start(ResolutionStack());
  ASSERT_NE(stack, nullptr);
  auto a = Resolve(*stack, "193.0.3.7/21");
  ASSERT_TRUE(a);
  const auto& r = a->reply;
  EXPECT_EQ(r.normalized, "193.0.0.0/21");
  EXPECT_EQ(r.type, "ip");
  EXPECT_EQ(r.outcome, "ok") << r.error << " " << r.message;
  EXPECT_EQ(Servers(r.record), (std::vector<std::string>{"whois.ripe.net"}));
  EXPECT_EQ(Args(r.record), (std::vector<std::string>{"-V whoisq -r 193.0.0.0/21"}));
  EXPECT_EQ(r.record.regrinfo.network.inetnum, "193.0.0.0 - 193.0.7.255");
  EXPECT_EQ(r.record.regrinfo.network.name, "RIPE-NCC");
  EXPECT_EQ(r.record.regrinfo.network.country, "NL");
  EXPECT_EQ(r.record.regrinfo.network.status, "ASSIGNED PA");
  EXPECT_EQ(stack->SimStats()["servers"]["whois.iana.org"]["queries_by_name"]["193.0.0.0/21"], 1);
  ExpectNoBreaches(*stack);
}

TEST(Resolution, AsNumberThroughIanaToRipe) {
  auto stack = Stack::Start(ResolutionStack());
  ASSERT_NE(stack, nullptr);
  auto a = Resolve(*stack, "as3333");
  ASSERT_TRUE(a);
  const auto& r = a->reply;
  EXPECT_EQ(r.normalized, "AS3333");
  EXPECT_EQ(r.type, "AS");
  EXPECT_EQ(r.outcome, "ok") << r.error << " " << r.message;
  EXPECT_EQ(r.record.regyinfo.type, "AS");
  EXPECT_EQ(Servers(r.record), (std::vector<std::string>{"whois.ripe.net"}));
  EXPECT_EQ(Args(r.record), (std::vector<std::string>{"-V whoisq -r AS3333"}));
  EXPECT_EQ(r.record.regrinfo.as.inetnum, "AS3333");
  EXPECT_EQ(r.record.regrinfo.as.name, "RIPE-NCC-AS");
  EXPECT_EQ(r.record.regrinfo.as.status, "ASSIGNED");
  EXPECT_EQ(r.record.regrinfo.as.created, "2002-08-08");
  EXPECT_EQ(r.record.regrinfo.owner.organization,
            "Reseaux IP Europeens Network Coordination Centre (RIPE NCC)");
  EXPECT_EQ(stack->SimStats()["servers"]["whois.iana.org"]["queries_by_name"]["as3333"], 1);
  ExpectNoBreaches(*stack);
}

// ---- fallbacks ------------------------------------------------------------------

// IANA names the ccTLD's server; the simulated server closes every connection
// without reading (mode = "refuse"): a fallback carrying the ccTLD's country.
TEST(Resolution, RefusingCcTldServerGivesFallbackWithTheCountry) {
  struct Case {
    std::string query, host, country;
  };
  const std::vector<Case> cases = {{"beispiel.de", "whois.denic.de", "DE"},
                                   {"exemple.fr", "whois.nic.fr", "FR"}};
  auto stack = Stack::Start(ResolutionStack());
  ASSERT_NE(stack, nullptr);
  for (const Case& c : cases) {
    SCOPED_TRACE(c.query);
    auto a = Resolve(*stack, c.query);
    ASSERT_TRUE(a);
    const auto& r = a->reply;
    EXPECT_EQ(r.outcome, "fallback");
    EXPECT_EQ(r.error, "refused") << r.message;
    EXPECT_NE(r.message.find(c.host), std::string::npos) << r.message;
    EXPECT_TRUE(r.record.fallback);
    EXPECT_EQ(r.record.reason, "refused");
    EXPECT_EQ(r.record.country, c.country);
    EXPECT_EQ(r.record.regrinfo.registered, "unknown");
    EXPECT_FALSE(r.record.throttled);
    // No answer came from any server, so the record lists none.
    EXPECT_TRUE(r.record.regyinfo.servers.empty());
    auto stats = stack->SimStats();
    EXPECT_GE(Counter(stats, c.host, "connections"), 1);
    EXPECT_EQ(Counter(stats, c.host, "served"), 0);
  }
  ExpectNoBreaches(*stack);
}

// IANA's object for .er has an empty `whois:` and no `refer:`, and the
// built-in table has no server for .er either (status none): no_server at
// once, with the country. (A name directly under .er is itself a public
// suffix by the PSL rule *.er, so the names are under com.er and edu.er.)
TEST(Resolution, TldWithoutWhoisServerFallsBackWithoutHanging) {
  auto stack = Stack::Start(ResolutionStack());
  ASSERT_NE(stack, nullptr);
  for (const std::string query : {"eritel.com.er", "www.eit.edu.er"}) {
    SCOPED_TRACE(query);
    auto a = Resolve(*stack, query);
    ASSERT_TRUE(a);
    const auto& r = a->reply;
    EXPECT_EQ(r.type, "domain");
    EXPECT_EQ(r.outcome, "fallback");
    EXPECT_EQ(r.error, "no_server") << r.message;
    EXPECT_TRUE(r.record.fallback);
    EXPECT_EQ(r.record.reason, "no_server");
    EXPECT_EQ(r.record.country, "ER");
    EXPECT_EQ(r.record.regrinfo.registered, "unknown");
    EXPECT_TRUE(r.record.regyinfo.servers.empty());
  }
  // IANA was asked once about .er; the second name used the stored answer.
  auto stats = stack->SimStats();
  EXPECT_EQ(stats["servers"]["whois.iana.org"]["queries_by_name"], nlohmann::json({{"er", 1}}));
  EXPECT_EQ(stack->SimTotal("queries"), 1u);
  ExpectNoBreaches(*stack);
}

// ---- the Debian whois client agrees ---------------------------------------------

// Runs /usr/bin/whois against one simulated server and returns its output.
std::string DebianWhois(Stack& stack, const std::string& host, const std::string& name) {
  int64_t port = Counter(stack.SimStats(), host, "port");
  auto p = Process::Spawn({"/usr/bin/whois", "-h", "127.0.0.1", "-p", std::to_string(port), name},
                          stack.dir().File("whois.log"));
  if (!p) {
    ADD_FAILURE() << "cannot run /usr/bin/whois";
    return "";
  }
  std::string out = p->ReadAll(seconds(20));
  p->Wait(seconds(5));
  return out;
}

// The value of the first line starting with `key` (after blanks), trimmed.
std::string Field(const std::string& answer, const std::string& key) {
  std::istringstream in(answer);
  for (std::string line; std::getline(in, line);) {
    size_t start = line.find_first_not_of(" \t");
    if (start == std::string::npos || line.compare(start, key.size(), key) != 0) continue;
    std::string value = line.substr(start + key.size());
    value.erase(0, value.find_first_not_of(" \t"));
    value.erase(value.find_last_not_of(" \t\r") + 1);
    return value;
  }
  return "";
}

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// Method. Debian's whois (5.5.17) follows "Registrar WHOIS Server:" only when
// it talks to a thin registry it recognises by name (whois.verisign-grs.com);
// pointed at 127.0.0.1 it shows the one answer it got, and it cannot be made
// to resolve whois.verisign-grs.com to the simulator without editing
// /etc/hosts. So the test does by hand what whois does for thin registries,
// running the real client for each query:
//   1. whois -h 127.0.0.1 -p <registry port> NAME;
//   2. read the registry's "Registrar WHOIS Server:"; if it names a host the
//      simulator serves, whois -h 127.0.0.1 -p <that port> NAME (one hop, as
//      whois does: it does not recurse from a registrar's answer); a URL or a
//      host that is not simulated cannot be queried (as with whoisq's strict
//      resolution, nothing leaves loopback), so the registry's answer is final;
//   3. the final registrar is the "Registrar:" line of the last answer.
// whoisq's regrinfo.domain.sponsor must name the same registrar. The client's
// own queries (4 to Verisign, 1 each to two registrars) stay within every
// simulated burst, so the zero-breach check still holds whoisq to its limits.
TEST(Resolution, DebianWhoisAgreesOnTheFinalRegistrar) {
  if (access("/usr/bin/whois", X_OK) != 0) {
    GTEST_SKIP() << "/usr/bin/whois is not installed (scripts/install-deps.sh installs it)";
  }
  auto stack = Stack::Start(ResolutionStack());
  ASSERT_NE(stack, nullptr);
  struct Case {
    std::string name, expected_hop, expected_registrar;
  };
  const std::vector<Case> cases = {
      {"example.com", "whois.markmonitor.com", "MarkMonitor Inc."},
      {"loop-a.com", "whois.networksolutions.com", "NETWORK SOLUTIONS, LLC."},
      {"gone-a.com", "", "Tucows Domains Inc."},
      {"url-a.com", "", "Alibaba Cloud Computing (Beijing) Co., Ltd."},
  };
  auto simulated = stack->SimStats()["servers"];
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    std::string answer = DebianWhois(*stack, "whois.verisign-grs.com", c.name);
    ASSERT_NE(answer.find("Domain Name: " + Upper(c.name)), std::string::npos) << answer;
    std::string referral = Field(answer, "Registrar WHOIS Server:");
    std::string hop;
    if (simulated.contains(referral)) {
      hop = referral;
      answer = DebianWhois(*stack, hop, c.name);
    }
    EXPECT_EQ(hop, c.expected_hop);
    std::string whois_registrar = Field(answer, "Registrar:");
    EXPECT_EQ(whois_registrar, c.expected_registrar) << answer;

    auto a = Resolve(*stack, c.name);
    ASSERT_TRUE(a);
    EXPECT_EQ(a->reply.outcome, "ok");
    EXPECT_EQ(a->reply.record.regrinfo.domain.sponsor, whois_registrar);
  }
  ExpectNoBreaches(*stack);
}

}  // namespace
}  // namespace whoisq::testing
