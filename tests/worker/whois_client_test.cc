// The worker's WHOIS client against the project's simulated servers, in
// process, on 127.0.0.1: normal answers and hostile servers (silent, endless,
// slow, refusing, binary), each ending in a typed result within its bounds.
#include "worker/whois_client.h"

#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_future.hpp>
#include <gtest/gtest.h>

#include "tools/whois_sim/sim_config.h"
#include "tools/whois_sim/sim_server.h"

namespace whoisq::worker {
namespace {

using schema::ErrorCode;
using std::chrono::milliseconds;

// One simulated server per mode, served on a background thread.
class SimFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string toml = R"(
[sim]
idle_timeout_ms = 2000
slow_interval_ms = 200
)";
    for (const char* mode : {"normal", "silent", "endless", "slow", "refuse", "binary"}) {
      toml += "[[server]]\nname = \"" + std::string(mode) + ".test\"\nmode = \"" + mode +
              "\"\nnot_found = \"No match for \\\"{{QUERY}}\\\".\"\n"
              "[[server.answer]]\nmatch = \"*.com\"\ntext = \"Domain Name: {{QUERY}}\\nRegistrar: Test\\n\"\n";
    }
    std::string error;
    auto config = sim::ParseSimConfig(toml, "/tmp", &error);
    ASSERT_TRUE(config) << error;
    sim_ = sim::SimServer::Create(*config, &error);
    ASSERT_TRUE(sim_) << error;
    thread_ = std::thread([this] { sim_->Run(); });
    std::map<std::string, std::string> entries;
    for (const auto& [host, port] : sim_->ports()) entries[host] = "127.0.0.1:" + std::to_string(port);
    book_ = std::make_unique<AddressBook>(entries, /*strict=*/true);
  }
  void TearDown() override {
    if (sim_) sim_->Stop();
    if (thread_.joinable()) thread_.join();
  }

  WhoisAnswer Query(const std::string& host, const std::string& args,
                    milliseconds timeout = milliseconds(3000), uint32_t max_bytes = 1 << 20) {
    boost::asio::io_context io;
    WhoisQuery q;
    q.host = host;
    q.args = args;
    q.timeout = timeout;
    q.connect_timeout = milliseconds(1000);
    q.max_bytes = max_bytes;
    auto future = boost::asio::co_spawn(io, QueryWhois(q, *book_), boost::asio::use_future);
    io.run();
    return future.get();
  }

  std::unique_ptr<sim::SimServer> sim_;
  std::thread thread_;
  std::unique_ptr<AddressBook> book_;
};

TEST_F(SimFixture, ReadsTheWholeAnswer) {
  WhoisAnswer a = Query("normal.test", "example.com");
  ASSERT_TRUE(a.status.ok()) << a.status.ToString();
  EXPECT_NE(a.raw.find("Domain Name: EXAMPLE.COM"), std::string::npos);
  EXPECT_NE(a.raw.find("Registrar: Test"), std::string::npos);
}

TEST_F(SimFixture, HostNamesFoldCase) {
  EXPECT_TRUE(Query("NORMAL.Test", "example.com").status.ok());
}

TEST_F(SimFixture, SilentServerTimesOut) {
  auto started = std::chrono::steady_clock::now();
  WhoisAnswer a = Query("silent.test", "example.com", milliseconds(500));
  EXPECT_EQ(a.status.code(), ErrorCode::kTimeout) << a.status.ToString();
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
}

TEST_F(SimFixture, EndlessServerIsCutAtTheSizeCap) {
  WhoisAnswer a = Query("endless.test", "example.com", milliseconds(3000), 64 * 1024);
  EXPECT_EQ(a.status.code(), ErrorCode::kTooLarge) << a.status.ToString();
  EXPECT_EQ(a.raw.size(), 64u * 1024u);
}

TEST_F(SimFixture, SlowServerHitsTheDeadlineWithPartialData) {
  WhoisAnswer a = Query("slow.test", "example.com", milliseconds(700));
  EXPECT_EQ(a.status.code(), ErrorCode::kTimeout) << a.status.ToString();
  EXPECT_LT(a.raw.size(), 20u);
}

TEST_F(SimFixture, ServerClosingWithoutAnswerIsRefused) {
  WhoisAnswer a = Query("refuse.test", "example.com");
  EXPECT_EQ(a.status.code(), ErrorCode::kRefused) << a.status.ToString();
}

TEST_F(SimFixture, BinaryAnswerIsDeliveredAsBytes) {
  WhoisAnswer a = Query("binary.test", "example.com");
  EXPECT_TRUE(a.status.ok()) << a.status.ToString();
  EXPECT_FALSE(a.raw.empty());
}

TEST_F(SimFixture, UnlistedHostIsUnreachableWhenStrict) {
  WhoisAnswer a = Query("whois.example.net", "example.com");
  EXPECT_EQ(a.status.code(), ErrorCode::kUnreachable);
}

TEST_F(SimFixture, ClosedPortIsRefused) {
  // Bind and close a socket to find a port nobody listens on.
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor acceptor(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  uint16_t port = acceptor.local_endpoint().port();
  acceptor.close();
  AddressBook book({{"closed.test", "127.0.0.1:" + std::to_string(port)}}, true);
  WhoisQuery q;
  q.host = "closed.test";
  q.args = "example.com";
  auto future = boost::asio::co_spawn(io, QueryWhois(q, book), boost::asio::use_future);
  io.run();
  EXPECT_EQ(future.get().status.code(), ErrorCode::kRefused);
}

TEST(QueryLine, RejectsControlBytes) {
  EXPECT_TRUE(IsSafeQueryLine("domain example.com"));
  EXPECT_TRUE(IsSafeQueryLine("-T dn,ace example.de"));
  EXPECT_FALSE(IsSafeQueryLine(""));
  EXPECT_FALSE(IsSafeQueryLine("example.com\r\nevil"));
  EXPECT_FALSE(IsSafeQueryLine("example.com\n"));
  EXPECT_FALSE(IsSafeQueryLine(std::string("a\0b", 3)));
  EXPECT_FALSE(IsSafeQueryLine("a\x7f"));
  EXPECT_FALSE(IsSafeQueryLine(std::string(2000, 'a')));
}

TEST_F(SimFixture, UnsafeQueryIsNeverSent) {
  WhoisAnswer a = Query("normal.test", "example.com\r\nother.com");
  EXPECT_EQ(a.status.code(), ErrorCode::kInvalidQuery);
  auto stats = sim_->StatsJson();
  EXPECT_NE(stats.find("\"normal.test\""), std::string::npos);
  EXPECT_EQ(stats.find("other.com"), std::string::npos);
}

}  // namespace
}  // namespace whoisq::worker
