// SimServer in-process on free ports: modes, limits under parallel load, the
// idle timeout, and the shared stack fixture's referral chain.
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tools/whois_sim/sim_config.h"
#include "tests/sim/sim_test_util.h"

namespace whoisq::sim {
namespace {

using std::chrono::milliseconds;
using testing::Ask;
using testing::Client;
using testing::RunningSim;

TEST(SimServer, ServesHundredsOfParallelConnectionsExactly) {
  RunningSim sim("[[server]]\nname = \"a\"\ndelay_ms = 300\n");
  ASSERT_TRUE(sim.ok());
  constexpr int kClients = 1500;
  std::vector<std::unique_ptr<Client>> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.push_back(std::make_unique<Client>(sim.port("a")));
    ASSERT_TRUE(clients.back()->ok()) << i;
    ASSERT_TRUE(clients.back()->Send("n" + std::to_string(i) + ".com\r\n"));
  }
  for (int i = 0; i < kClients; ++i) {
    EXPECT_EQ(clients[i]->ReadToEnd().value_or("timeout"),
              "No match for \"N" + std::to_string(i) + ".COM\".\r\n");
  }
  const auto stats = sim.Stats("a");
  EXPECT_EQ(stats["queries"], kClients);
  EXPECT_EQ(stats["served"], kClients);
  EXPECT_EQ(stats["queries_by_name"].size(), static_cast<size_t>(kClients));
  EXPECT_EQ(stats["open"], 0);
}

TEST(SimServer, RdapServesHundredsOfParallelConnectionsExactly) {
  RunningSim sim("[[server]]\nname = \"r.test\"\nprotocol = \"rdap\"\ndelay_ms = 300\n");
  ASSERT_TRUE(sim.ok());
  constexpr int kClients = 1000;
  std::vector<std::unique_ptr<Client>> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.push_back(std::make_unique<Client>(sim.port("r.test")));
    ASSERT_TRUE(clients.back()->ok()) << i;
    ASSERT_TRUE(clients.back()->Send("GET /domain/n" + std::to_string(i) +
                                     ".com HTTP/1.1\r\nHost: r.test\r\nConnection: close\r\n\r\n"));
  }
  for (int i = 0; i < kClients; ++i) {
    const std::string reply = clients[i]->ReadToEnd().value_or("timeout");
    EXPECT_EQ(reply.rfind("HTTP/1.1 404 Not Found\r\n", 0), 0u) << i << ": " << reply;
    EXPECT_NE(reply.find("No match for \\\"n" + std::to_string(i) + ".com\\\""), std::string::npos)
        << reply;
  }
  const auto stats = sim.Stats("r.test");
  EXPECT_EQ(stats["connections"], kClients);
  EXPECT_EQ(stats["queries"], kClients);
  EXPECT_EQ(stats["served"], kClients);
  EXPECT_EQ(stats["queries_by_name"].size(), static_cast<size_t>(kClients));
  EXPECT_EQ(stats["open"], 0);
  EXPECT_GT(stats["max_concurrent_seen"], 1);
}

TEST(SimServer, ConcurrencyLimitUnderParallelLoad) {
  RunningSim sim("[[server]]\nname = \"a\"\nconcurrency = 3\ndelay_ms = 500\n");
  ASSERT_TRUE(sim.ok());
  std::vector<std::unique_ptr<Client>> clients;
  for (int i = 0; i < 5; ++i) {
    clients.push_back(std::make_unique<Client>(sim.port("a")));
    ASSERT_TRUE(clients.back()->Send("x.com\r\n"));
  }
  int throttled = 0, answered = 0;
  for (auto& client : clients) {
    const std::string reply = client->ReadToEnd().value_or("timeout");
    if (reply == "WHOIS LIMIT EXCEEDED - SEE WWW.PIR.ORG/WHOIS FOR DETAILS\r\n") ++throttled;
    if (reply == "No match for \"X.COM\".\r\n") ++answered;
  }
  EXPECT_EQ(throttled, 2);
  EXPECT_EQ(answered, 3);
  const auto stats = sim.Stats("a");
  EXPECT_EQ(stats["breaches_concurrency"], 2);
  EXPECT_EQ(stats["max_concurrent_seen"], 3);
  EXPECT_EQ(stats["queries_by_name"]["x.com"], 5);
}

TEST(SimServer, DailyQuota) {
  RunningSim sim("[[server]]\nname = \"a\"\ndaily = 2\nthrottle_text = \"quota for {{query}}\"\n");
  ASSERT_TRUE(sim.ok());
  EXPECT_EQ(Ask(sim.port("a"), "a.com\r\n").value_or(""), "No match for \"A.COM\".\r\n");
  EXPECT_EQ(Ask(sim.port("a"), "b.com\r\n").value_or(""), "No match for \"B.COM\".\r\n");
  EXPECT_EQ(Ask(sim.port("a"), "c.com\r\n").value_or(""), "quota for c.com\r\n");
  const auto stats = sim.Stats("a");
  EXPECT_EQ(stats["breaches_daily"], 1);
  EXPECT_EQ(stats["served"], 2);
  EXPECT_EQ(stats["served_today"], 2);
}

TEST(SimServer, PacedClientNeverBreaches) {
  // 20/s, burst 1: a client that waits 50 ms between queries is always in time.
  RunningSim sim("[[server]]\nname = \"a\"\nper_second = 20\nburst = 1\n");
  ASSERT_TRUE(sim.ok());
  auto next = std::chrono::steady_clock::now();
  for (int i = 0; i < 20; ++i) {
    std::this_thread::sleep_until(next);
    next += milliseconds(50);
    EXPECT_EQ(Ask(sim.port("a"), "a.com\r\n").value_or(""), "No match for \"A.COM\".\r\n") << i;
  }
  EXPECT_EQ(sim.Stats("a")["breaches_rate"], 0);
}

TEST(SimServer, EndlessStreamsUntilTheClientCloses) {
  RunningSim sim("[[server]]\nname = \"a\"\nmode = \"endless\"\n");
  ASSERT_TRUE(sim.ok());
  Client client(sim.port("a"));
  ASSERT_TRUE(client.Send("x.com\r\n"));
  bool closed = false;
  const std::string got = client.ReadUpTo(256 * 1024, milliseconds(3000), &closed);
  EXPECT_FALSE(closed);
  EXPECT_GE(got.size(), 256u * 1024);
  EXPECT_EQ(sim.Stats("a")["open"], 1);
  client.Close();
  for (int i = 0; i < 200 && sim.Stats("a")["open"] != 0; ++i) {
    std::this_thread::sleep_for(milliseconds(10));
  }
  EXPECT_EQ(sim.Stats("a")["open"], 0);
}

TEST(SimServer, SlowSendsOneBytePerInterval) {
  RunningSim sim("[sim]\nslow_interval_ms = 20\n[[server]]\nname = \"a\"\nmode = \"slow\"\n"
                 "not_found = \"abcdefghij\"\n");
  ASSERT_TRUE(sim.ok());
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(Ask(sim.port("a"), "x.com\r\n").value_or(""), "abcdefghij\r\n");
  EXPECT_GE(std::chrono::steady_clock::now() - start, milliseconds(11 * 20));
}

TEST(SimServer, BinarySendsBytesThenCloses) {
  RunningSim sim("[[server]]\nname = \"a\"\nmode = \"binary\"\n");
  ASSERT_TRUE(sim.ok());
  const auto reply = Ask(sim.port("a"), "x.com\r\n");
  ASSERT_TRUE(reply);
  EXPECT_GE(reply->size(), 256u);
  EXPECT_LE(reply->size(), 2048u);
}

TEST(SimServer, IdleClientIsClosed) {
  RunningSim sim("[sim]\nidle_timeout_ms = 200\n[[server]]\nname = \"a\"\n");
  ASSERT_TRUE(sim.ok());
  Client client(sim.port("a"));
  bool closed = false;
  EXPECT_EQ(client.ReadUpTo(1, milliseconds(3000), &closed), "");
  EXPECT_TRUE(closed);
  const auto stats = sim.Stats("a");
  EXPECT_EQ(stats["idle_timeouts"], 1);
  EXPECT_EQ(stats["queries"], 0);
}

TEST(SimServer, LineWithoutNewlineBeforeHalfCloseIsAQuery) {
  RunningSim sim("[[server]]\nname = \"a\"\n");
  ASSERT_TRUE(sim.ok());
  Client client(sim.port("a"));
  ASSERT_TRUE(client.Send("bare.com"));
  client.ShutdownWrite();
  EXPECT_EQ(client.ReadToEnd().value_or(""), "No match for \"BARE.COM\".\r\n");
}

TEST(SimServer, ControlPortsAndUnknownCommand) {
  RunningSim sim("[[server]]\nname = \"a\"\n");
  ASSERT_TRUE(sim.ok());
  const auto ports = nlohmann::json::parse(Ask(sim.control(), "ports\n").value_or("null"));
  EXPECT_EQ(ports["servers"]["a"], sim.port("a"));
  EXPECT_EQ(ports["control"], sim.control());
  EXPECT_EQ(Ask(sim.control(), "bogus\n").value_or(""),
            "error: unknown command \"bogus\" (stats, reset, ports, quit)\n");
}

TEST(SimServer, StatsSurviveNonUtf8QueryNames) {
  RunningSim sim("[[server]]\nname = \"a\"\n");
  ASSERT_TRUE(sim.ok());
  EXPECT_TRUE(Ask(sim.port("a"), "\xff\xfe.com\r\n").has_value());
  const auto stats = sim.Stats("a");
  ASSERT_TRUE(stats.is_object());
  EXPECT_EQ(stats["queries"], 1);
  EXPECT_EQ(stats["queries_by_name"].size(), 1u);
}

}  // namespace
}  // namespace whoisq::sim
