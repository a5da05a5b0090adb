#include "tools/whois_sim/sim_config.h"

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include <gtest/gtest.h>

namespace whoisq::sim {
namespace {

std::string ParseError(const std::string& toml) {
  std::string error;
  auto config = ParseSimConfig(toml, "/nonexistent", &error);
  EXPECT_FALSE(config.has_value()) << toml;
  return error;
}

TEST(SimConfig, ParsesFullServer) {
  const std::string toml = R"(
[sim]
bind = "127.0.0.1"
control = 0
[[server]]
name = "whois.example.net"
port = 0
concurrency = 4
per_second = 10.5
burst = 10
daily = 100000
slack_ms = 30
delay_min_ms = 5
delay_max_ms = 20
mode = "slow"
throttle_text = "Slow down"
not_found = "NOT FOUND {{query}}"
  [[server.answer]]
  match = "*.net"
  text = "Domain Name: {{QUERY}}"
  [[server.answer]]
  match = "help"
  whole = true
  text = "help text"
[[server]]
name = "whois.other.org"
per_second = 2
)";
  std::string error;
  auto config = ParseSimConfig(toml, "/tmp", &error);
  ASSERT_TRUE(config) << error;
  ASSERT_EQ(config->servers.size(), 2u);
  const ServerConfig& s = config->servers[0];
  EXPECT_EQ(s.name, "whois.example.net");
  EXPECT_EQ(s.limits.concurrency, 4);
  EXPECT_DOUBLE_EQ(s.limits.per_second, 10.5);
  EXPECT_EQ(s.limits.burst, 10);
  EXPECT_EQ(s.limits.daily, 100000);
  EXPECT_EQ(s.limits.slack, std::chrono::milliseconds(30));
  EXPECT_EQ(s.delay_min, std::chrono::milliseconds(5));
  EXPECT_EQ(s.delay_max, std::chrono::milliseconds(20));
  EXPECT_EQ(s.mode, Mode::kSlow);
  EXPECT_EQ(s.throttle_text, "Slow down");
  EXPECT_EQ(s.not_found, "NOT FOUND {{query}}");
  ASSERT_EQ(s.answers.size(), 2u);
  EXPECT_TRUE(s.answers[1].whole);
  const ServerConfig& d = config->servers[1];
  EXPECT_EQ(d.limits.burst, 1);
  EXPECT_EQ(d.limits.slack, std::chrono::milliseconds(25));
  EXPECT_EQ(d.mode, Mode::kNormal);
  EXPECT_EQ(d.throttle_text, "WHOIS LIMIT EXCEEDED - SEE WWW.PIR.ORG/WHOIS FOR DETAILS");
  EXPECT_EQ(d.not_found, "No match for \"{{QUERY}}\".");
  EXPECT_EQ(config->root, "/tmp");
}

TEST(SimConfig, ErrorsNameTheKey) {
  const std::string ok = "[[server]]\nname = \"a\"\n";
  struct Case {
    std::string toml;
    std::string error;
  } cases[] = {
      {ok + "[[server]]\nname = \"b\"\n[[server]]\nname = \"c\"\nper_second = -1\n",
       "server[2].per_second must be >= 0"},
      {"[sim]\nbind = \"0.0.0.0\"\n" + ok, "sim.bind must be a loopback address"},
      {"[sim]\nbind = \"10.1.2.3\"\n" + ok, "sim.bind must be a loopback address"},
      {"[sim]\ncontrol = 70000\n" + ok, "sim.control must be <= 65535"},
      {"[sim]\nfoo = 1\n" + ok, "sim.foo is not a known key"},
      {ok + "prot = 1\n", "server[0].prot is not a known key"},
      {ok + "port = \"43\"\n", "server[0].port must be an integer"},
      {ok + "burst = 0\n", "server[0].burst must be >= 1"},
      {ok + "concurrency = -2\n", "server[0].concurrency must be >= 0"},
      {ok + "daily = -1\n", "server[0].daily must be >= 0"},
      {ok + "mode = \"weird\"\n", "server[0].mode must be one of"},
      {ok + "delay_ms = 1\ndelay_min_ms = 1\ndelay_max_ms = 2\n",
       "server[0].delay_ms cannot be combined"},
      {ok + "delay_min_ms = 5\ndelay_max_ms = 2\n", "server[0].delay_max_ms must be >= delay_min_ms"},
      {ok + "[[server]]\nname = \"a\"\n", "server[1].name repeats \"a\""},
      {"[[server]]\nport = 1\n", "server[0].name must be a non-empty string"},
      {"[sim]\n", "server must list at least one [[server]]"},
      {ok + "[[server.answer]]\nmatch = \"*\"\n", "server[0].answer[0] must set exactly one of file, text"},
      {ok + "[[server.answer]]\ntext = \"x\"\n", "server[0].answer[0].match must be a non-empty string"},
      {ok + "[[server.answer]]\nmatch = \"*\"\nfile = \"missing.txt\"\n",
       "server[0].answer[0].file names a file that cannot be read"},
      {ok + "not_found = \"@missing.txt\"\n", "server[0].not_found names a file that cannot be read"},
      {"[[server]\n", "TOML syntax error at line 1"},
  };
  for (const Case& c : cases) {
    const std::string error = ParseError(c.toml);
    EXPECT_EQ(error.rfind(c.error, 0), 0u) << "input:\n" << c.toml << "got: " << error;
  }
}

TEST(SimConfig, ReadsAnswerFilesRelativeToConfig) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("sim_config_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir / "answers");
  std::ofstream(dir / "answers" / "a.txt") << "Domain Name: {{QUERY}}\n";
  std::ofstream(dir / "answers" / "nf.txt") << "NOT FOUND\n";
  std::ofstream(dir / "sim.toml") << "[[server]]\nname = \"x\"\nnot_found = \"@answers/nf.txt\"\n"
                                     "[[server.answer]]\nmatch = \"*\"\nfile = \"answers/a.txt\"\n";
  std::string error;
  auto config = LoadSimConfig((dir / "sim.toml").string(), &error);
  ASSERT_TRUE(config) << error;
  EXPECT_EQ(config->servers[0].answers[0].text, "Domain Name: {{QUERY}}\n");
  EXPECT_EQ(config->servers[0].not_found, "NOT FOUND\n");
  std::filesystem::remove_all(dir);
}

TEST(SimConfig, ParsesTheSharedStackFixture) {
  std::string error;
  auto config = LoadSimConfig(std::string(WHOISQ_SIM_FIXTURES) + "/stack.toml", &error);
  ASSERT_TRUE(config) << error;
  EXPECT_GE(config->servers.size(), 7u);
}

}  // namespace
}  // namespace whoisq::sim
