// The whole path with real processes: whoisq-sim on loopback, a broker, two
// workers; lookups go IANA -> registry -> registrar under the scheduler's
// tokens, land in the store, are answered and published.
#include <signal.h>

#include <chrono>
#include <map>
#include <optional>
#include <sstream>
#include <set>
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

struct Expected {
  std::string tld, registry, registrar, sponsor, created, expires;
};

// From tests/fixtures/sim/README.md: the registry wins for dates, the
// registrar for its own name.
const std::vector<Expected> kTlds = {
    {"com", "whois.verisign-grs.com", "whois.markmonitor.com", "MarkMonitor Inc.", "1997-09-15", "2028-09-14"},
    {"net", "whois.verisign-grs.com", "whois.markmonitor.com", "MarkMonitor Inc.", "1999-03-15", "2029-03-15"},
    {"org", "whois.pir.org", "whois.godaddy.com", "GoDaddy.com, LLC", "1998-10-21", "2027-10-20"},
    {"xyz", "whois.nic.xyz", "whois.markmonitor.com", "MarkMonitor Inc.", "2014-03-20", "2030-03-20"},
    {"io", "whois.nic.io", "whois.markmonitor.com", "MarkMonitor Inc.", "2011-06-02", "2031-06-02"},
};

StackOptions DefaultStack() {
  StackOptions o;
  o.sim_config = FixtureDir() + "/sim/stack.toml";
  o.workers = 2;
  return o;
}

// Sends every query pipelined and collects the replies by request id.
std::map<std::string, schema::LookupReply> LookupAll(client::Client& c,
                                                     const std::vector<std::string>& queries,
                                                     bool fresh = false) {
  for (size_t i = 0; i < queries.size(); ++i) {
    schema::LookupRequest r;
    r.id = std::to_string(i);
    r.query = queries[i];
    r.fresh = fresh;
    EXPECT_TRUE(c.Send(r).ok());
  }
  std::map<std::string, schema::LookupReply> out;
  while (out.size() < queries.size()) {
    auto reply = c.Receive(seconds(60));
    if (!reply.ok()) {
      ADD_FAILURE() << "no reply after " << out.size() << " of " << queries.size() << ": "
                    << reply.status().ToString();
      break;
    }
    EXPECT_FALSE(reply->is_error) << reply->error.message;
    out[queries[std::stoul(reply->result.id)]] = reply->result;
  }
  return out;
}

TEST(EndToEnd, FiftyDomainsThroughIanaRegistryRegistrar) {
  auto stack = Stack::Start(DefaultStack());
  ASSERT_NE(stack, nullptr);
  auto sub = client::Subscriber::Connect(stack->publish(), "");
  ASSERT_TRUE(sub.ok());
  auto c = client::Client::Connect(stack->frontend());
  ASSERT_TRUE(c.ok());
  std::this_thread::sleep_for(milliseconds(300));  // the subscription reaches the broker

  std::vector<std::string> queries;
  std::map<std::string, const Expected*> expected;
  for (const Expected& e : kTlds) {
    for (int i = 0; i < 10; ++i) {
      std::string name = "site" + std::to_string(i) + "-" + e.tld + "." + e.tld;
      queries.push_back(i % 3 == 0 ? "https://www." + name + "/path?q=1" : name);
      expected[name] = &e;
    }
  }
  auto replies = LookupAll(**c, queries);
  ASSERT_EQ(replies.size(), 50u);
  for (const auto& [query, r] : replies) {
    SCOPED_TRACE(query);
    ASSERT_TRUE(expected.count(r.normalized)) << "normalized to " << r.normalized;
    const Expected& e = *expected[r.normalized];
    EXPECT_EQ(r.outcome, "ok") << r.error << " " << r.message;
    EXPECT_EQ(r.query, query);
    EXPECT_EQ(r.record.regrinfo.registered, "yes");
    EXPECT_EQ(r.record.regrinfo.domain.sponsor, e.sponsor);
    EXPECT_EQ(r.record.regrinfo.domain.created, e.created);
    EXPECT_EQ(r.record.regrinfo.domain.expires, e.expires);
    ASSERT_EQ(r.record.regyinfo.servers.size(), 2u);
    EXPECT_EQ(r.record.regyinfo.servers[0].server, e.registry);
    EXPECT_EQ(r.record.regyinfo.servers[1].server, e.registrar);
    EXPECT_EQ(r.record.regyinfo.referrer, e.registrar);
    EXPECT_FALSE(r.record.rawdata.empty());
  }

  // No limit was ever breached, and each TLD was asked of IANA once.
  auto stats = stack->SimStats();
  for (const auto& [host, s] : stats["servers"].items()) {
    SCOPED_TRACE(host);
    EXPECT_EQ(s["breaches_concurrency"], 0);
    EXPECT_EQ(s["breaches_rate"], 0);
    EXPECT_EQ(s["breaches_daily"], 0);
  }
  EXPECT_EQ(stats["servers"]["whois.iana.org"]["served"], 5);
  const uint64_t served = stack->SimTotal("served");
  EXPECT_EQ(served, 5u + 50u + 50u);

  // The subscriber saw every result exactly once.
  std::map<std::string, int> seen;
  while (true) {
    auto ev = (*sub)->Receive(milliseconds(1000));
    if (!ev.ok()) break;
    ++seen[ev->result.normalized];
    EXPECT_EQ(ev->topic, "domain/" + ev->result.normalized.substr(ev->result.normalized.rfind('.') + 1) +
                             "/" + ev->result.normalized);
  }
  EXPECT_EQ(seen.size(), 50u);
  for (const auto& [name, n] : seen) EXPECT_EQ(n, 1) << name;

  // Asked again: answered from the store; no server is touched.
  auto again = LookupAll(**c, queries);
  ASSERT_EQ(again.size(), 50u);
  for (const auto& [query, r] : again) {
    EXPECT_EQ(r.outcome, "cached") << query;
    EXPECT_EQ(r.record.regrinfo.domain.sponsor, replies[query].record.regrinfo.domain.sponsor);
  }
  EXPECT_EQ(stack->SimTotal("queries"), stack->SimTotal("served"));
  EXPECT_EQ(stack->SimTotal("served"), served);
  EXPECT_TRUE(stack->Stop());
}

TEST(EndToEnd, DuplicatesCoalesceIntoOneQuery) {
  auto stack = Stack::Start(DefaultStack());
  ASSERT_NE(stack, nullptr);
  auto c = client::Client::Connect(stack->frontend());
  ASSERT_TRUE(c.ok());
  std::vector<std::string> queries = {"dup.com", "DUP.COM", "http://dup.com/", "www.dup.com.",
                                      "shop.dup.com"};
  auto replies = LookupAll(**c, queries);
  ASSERT_EQ(replies.size(), queries.size());
  for (const auto& [q, r] : replies) {
    EXPECT_EQ(r.normalized, "dup.com") << q;
    EXPECT_EQ(r.outcome, "ok") << q;
  }
  auto stats = stack->SimStats();
  EXPECT_EQ(stats["servers"]["whois.verisign-grs.com"]["served"], 1);
  EXPECT_EQ(stats["servers"]["whois.markmonitor.com"]["served"], 1);
}

TEST(EndToEnd, InvalidQueriesAreRefusedBeforeAnyServer) {
  auto stack = Stack::Start(DefaultStack());
  ASSERT_NE(stack, nullptr);
  auto c = client::Client::Connect(stack->frontend());
  ASSERT_TRUE(c.ok());
  std::vector<std::string> bad = {"", "example.com\r\nevil", "exa mple.com", "a..b.com",
                                  std::string(300, 'a') + ".com"};
  auto replies = LookupAll(**c, bad);
  for (const auto& [q, r] : replies) {
    EXPECT_EQ(r.outcome, "error") << q;
    EXPECT_EQ(r.error, "invalid_query") << q;
  }
  EXPECT_EQ(stack->SimTotal("queries"), 0u);
}

TEST(EndToEnd, MalformedMessagesGetTypedErrorsAndChangeNothing) {
  auto stack = Stack::Start(DefaultStack());
  ASSERT_NE(stack, nullptr);
  auto c = client::Client::Connect(stack->frontend());
  ASSERT_TRUE(c.ok());
  // Wrong protocol, unknown command, undecodable body, too few frames.
  ASSERT_TRUE((*c)->SendRawFrames({"", "HTTP/1.1", "GET", "x"}).ok());
  ASSERT_TRUE((*c)->SendRawFrames({"", "WQC1", "FROB", ""}).ok());
  ASSERT_TRUE((*c)->SendRawFrames({"", "WQC1", "LOOKUP", "\xc1\xc1"}).ok());
  ASSERT_TRUE((*c)->SendRawFrames({""}).ok());
  std::vector<std::string> errors;
  for (int i = 0; i < 4; ++i) {
    auto reply = (*c)->Receive(seconds(10));
    ASSERT_TRUE(reply.ok()) << reply.status().ToString();
    ASSERT_TRUE(reply->is_error);
    errors.push_back(reply->error.error);
  }
  EXPECT_EQ(errors, (std::vector<std::string>{"unsupported", "unsupported", "malformed", "malformed"}));
  // The broker still serves.
  auto ok = (*c)->Lookup("after-garbage.com", seconds(30));
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->outcome, "ok");
}

TEST(EndToEnd, NotFoundIsAnAnswerNotAnError) {
  auto stack = Stack::Start(DefaultStack());
  ASSERT_NE(stack, nullptr);
  auto c = client::Client::Connect(stack->frontend());
  ASSERT_TRUE(c.ok());
  auto r = (*c)->Lookup("nx-free.com", seconds(30));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->outcome, "ok");
  EXPECT_EQ(r->record.regrinfo.registered, "no");
  EXPECT_EQ(r->record.regyinfo.servers.size(), 1u);  // no referral followed
}

TEST(EndToEnd, UnknownTldGivesFallbackWithCountry) {
  auto stack = Stack::Start(DefaultStack());
  ASSERT_NE(stack, nullptr);
  auto c = client::Client::Connect(stack->frontend());
  ASSERT_TRUE(c.ok());
  // IANA (simulated) knows no .de server and .de's built-in server is not in
  // [resolve]: strict resolution makes it unreachable, so the fallback applies.
  auto r = (*c)->Lookup("beispiel.de", seconds(30));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->outcome, "fallback");
  EXPECT_TRUE(r->record.fallback);
  EXPECT_EQ(r->record.country, "DE");
  EXPECT_EQ(r->record.regrinfo.registered, "unknown");
  EXPECT_FALSE(r->error.empty());
}

TEST(EndToEnd, FreshBypassesTheStore) {
  auto stack = Stack::Start(DefaultStack());
  ASSERT_NE(stack, nullptr);
  auto c = client::Client::Connect(stack->frontend());
  ASSERT_TRUE(c.ok());
  ASSERT_EQ((*c)->Lookup("again.org", seconds(30))->outcome, "ok");
  ASSERT_EQ((*c)->Lookup("again.org", seconds(30))->outcome, "cached");
  auto fresh = (*c)->Lookup("again.org", seconds(30), /*fresh=*/true);
  ASSERT_TRUE(fresh.ok());
  EXPECT_EQ(fresh->outcome, "ok");
  EXPECT_EQ(stack->SimStats()["servers"]["whois.pir.org"]["served"], 2);
}

TEST(EndToEnd, PythonClientFromTheReadme) {
  auto stack = Stack::Start(DefaultStack());
  ASSERT_NE(stack, nullptr);
  // Debian's interpreter, where python3-zmq and python3-msgpack are installed.
  auto py = Process::Spawn({"/usr/bin/python3", SourceDir() + "/tools/python/whoisq_client.py",
                            "--broker", stack->frontend(), "--timeout", "30", "py-one.com",
                            "https://py-two.org/x", "bad name.com"},
                           stack->dir().File("python.log"));
  ASSERT_TRUE(py);
  std::vector<nlohmann::json> lines;
  while (auto line = py->ReadLine(seconds(40))) lines.push_back(nlohmann::json::parse(*line));
  auto rc = py->Wait(seconds(10));
  ASSERT_EQ(lines.size(), 3u) << ReadFile(stack->dir().File("python.log"));
  EXPECT_EQ(rc, 1);  // one name was refused
  EXPECT_EQ(lines[0]["normalized"], "py-one.com");
  EXPECT_EQ(lines[0]["outcome"], "ok");
  EXPECT_EQ(lines[0]["record"]["regrinfo"]["domain"]["sponsor"], "MarkMonitor Inc.");
  EXPECT_EQ(lines[1]["normalized"], "py-two.org");
  EXPECT_EQ(lines[1]["record"]["regrinfo"]["domain"]["sponsor"], "GoDaddy.com, LLC");
  EXPECT_EQ(lines[2]["outcome"], "error");
  EXPECT_EQ(lines[2]["error"], "invalid_query");
}

TEST(EndToEnd, CliLookupFileWritesOneJsonLinePerName) {
  auto stack = Stack::Start(DefaultStack());
  ASSERT_NE(stack, nullptr);
  std::string names = "# names to look up\n\n";
  std::vector<std::string> submitted;
  for (int i = 0; i < 30; ++i) {
    std::string name = "file" + std::to_string(i) + "." + kTlds[i % kTlds.size()].tld;
    if (i == 7) name = "HTTPS://WWW." + name + "/index.html";
    submitted.push_back(name);
    names += name + "\n";
  }
  submitted.push_back("file1.net");  // a repeat: coalesced or cached
  names += "file1.net\n";
  WriteFile(stack->dir().File("names.txt"), names);
  auto cli = Process::Spawn({CliBin(), "lookup", "--broker", stack->frontend(), "--file",
                             stack->dir().File("names.txt"), "--out", stack->dir().File("out.jsonl"),
                             "--window", "8"},
                            stack->dir().File("cli.log"));
  ASSERT_TRUE(cli);
  auto rc = cli->Wait(seconds(90));
  ASSERT_TRUE(rc.has_value());
  EXPECT_EQ(*rc, 0) << ReadFile(stack->dir().File("cli.log"));
  std::istringstream out(ReadFile(stack->dir().File("out.jsonl")));
  std::multiset<std::string> queries;
  for (std::string line; std::getline(out, line);) {
    auto j = nlohmann::json::parse(line);
    queries.insert(j["query"].get<std::string>());
    EXPECT_TRUE(j.contains("normalized"));
    EXPECT_TRUE(j["outcome"] == "ok" || j["outcome"] == "cached") << line.substr(0, 300);
    EXPECT_EQ(j["record"]["regrinfo"]["registered"], "yes");
  }
  EXPECT_EQ(queries, std::multiset<std::string>(submitted.begin(), submitted.end()));
  // The summary line states the rate.
  EXPECT_NE(ReadFile(stack->dir().File("cli.log")).find("lookups/s"), std::string::npos);
}

TEST(EndToEnd, NotifyTellsWhereALookupWaitsAndTheEstimatedStart) {
  auto stack = Stack::Start(DefaultStack());
  ASSERT_NE(stack, nullptr);
  auto c = client::Client::Connect(stack->frontend());
  ASSERT_TRUE(c.ok());
  int64_t sent_ms = std::chrono::duration_cast<milliseconds>(
                        std::chrono::system_clock::now().time_since_epoch()).count();
  schema::LookupRequest r;
  r.id = "n1";
  r.query = "notify.org";
  r.notify = true;
  ASSERT_TRUE((*c)->Send(r).ok());
  auto first = (*c)->Receive(seconds(30));
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_TRUE(first->is_accepted);
  EXPECT_EQ(first->accepted.id, "n1");
  EXPECT_EQ(first->accepted.normalized, "notify.org");
  EXPECT_EQ(first->accepted.server, "whois.iana.org");  // .org is not known yet
  EXPECT_GE(first->accepted.estimated_start_ms, sent_ms - 1000);
  auto second = (*c)->Receive(seconds(30));
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  ASSERT_FALSE(second->is_accepted);
  EXPECT_EQ(second->result.outcome, "ok");
  // A stored answer comes at once, with no ACCEPTED before it.
  r.id = "n2";
  ASSERT_TRUE((*c)->Send(r).ok());
  auto cached = (*c)->Receive(seconds(30));
  ASSERT_TRUE(cached.ok());
  EXPECT_FALSE(cached->is_accepted);
  EXPECT_EQ(cached->result.outcome, "cached");
}

TEST(EndToEnd, BrokerRestartKeepsTheStoreAndWorkersReconnect) {
  auto stack = Stack::Start(DefaultStack());
  ASSERT_NE(stack, nullptr);
  {
    auto c = client::Client::Connect(stack->frontend());
    ASSERT_TRUE(c.ok());
    auto r = (*c)->Lookup("before-restart.com", seconds(30));
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->outcome, "ok");
  }
  ASSERT_TRUE(stack->RestartBroker(SIGKILL));
  auto c = client::Client::Connect(stack->frontend());
  ASSERT_TRUE(c.ok());
  auto cached = (*c)->Lookup("before-restart.com", seconds(30));
  ASSERT_TRUE(cached.ok()) << cached.status().ToString();
  EXPECT_EQ(cached->outcome, "cached");
  // The workers notice the new broker and announce themselves again; the
  // TLD map learned from IANA survived too, so IANA is not asked again.
  auto fresh = (*c)->Lookup("after-restart.com", seconds(30));
  ASSERT_TRUE(fresh.ok()) << fresh.status().ToString();
  EXPECT_EQ(fresh->outcome, "ok");
  EXPECT_EQ(fresh->record.regrinfo.domain.sponsor, "MarkMonitor Inc.");
  EXPECT_EQ(stack->SimStats()["servers"]["whois.iana.org"]["served"], 1);
}

TEST(EndToEnd, LookupAcceptedBeforeACrashIsAnsweredAfterRestart) {
  // The registrar takes 1.5 s per answer: the broker is killed while the
  // lookup is in flight, and the journal brings it back.
  TempDir dir;
  std::string config = ReadFile(FixtureDir() + "/sim/stack.toml");
  size_t mm = config.find("name = \"whois.markmonitor.com\"");
  ASSERT_NE(mm, std::string::npos);
  config.insert(config.find('\n', mm) + 1, "delay_ms = 1500\n");
  config.replace(config.find("control = 0"), 11,
                 "control = 0\nroot = \"" + FixtureDir() + "/sim\"");
  WriteFile(dir.File("sim.toml"), config);
  StackOptions options = DefaultStack();
  options.sim_config = dir.File("sim.toml");
  auto stack = Stack::Start(options);
  ASSERT_NE(stack, nullptr);
  {
    auto c = client::Client::Connect(stack->frontend());
    ASSERT_TRUE(c.ok());
    schema::LookupRequest r;
    r.id = "1";
    r.query = "journaled.com";
    ASSERT_TRUE((*c)->Send(r).ok());
    // Wait until the registrar hop is running, then crash the broker.
    for (int i = 0; i < 100 && stack->SimStats()["servers"]["whois.markmonitor.com"]["open"] != 1; ++i) {
      std::this_thread::sleep_for(milliseconds(50));
    }
    ASSERT_EQ(stack->SimStats()["servers"]["whois.markmonitor.com"]["open"], 1);
  }
  ASSERT_TRUE(stack->RestartBroker(SIGKILL));
  // The replayed lookup completes on its own and lands in the store.
  auto c = client::Client::Connect(stack->frontend());
  ASSERT_TRUE(c.ok());
  std::optional<schema::LookupReply> stored;
  for (int i = 0; i < 100; ++i) {
    std::this_thread::sleep_for(milliseconds(200));
    if (stack->SimStats()["servers"]["whois.markmonitor.com"]["served"] < 2) continue;
    auto r = (*c)->Lookup("journaled.com", seconds(30));
    ASSERT_TRUE(r.ok());
    stored = *r;
    break;
  }
  ASSERT_TRUE(stored.has_value()) << "the journaled lookup never completed";
  // Stored already, or joined to the replayed lookup in its last milliseconds:
  // either way no third query was sent for it.
  EXPECT_TRUE(stored->outcome == "cached" || stored->outcome == "ok") << stored->outcome;
  EXPECT_EQ(stored->record.regrinfo.domain.sponsor, "MarkMonitor Inc.");
  auto stats = stack->SimStats();
  EXPECT_EQ(stats["servers"]["whois.markmonitor.com"]["served"], 2);
  EXPECT_EQ(stats["servers"]["whois.markmonitor.com"]["breaches_concurrency"], 0);
}

}  // namespace
}  // namespace whoisq::testing
