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

TEST(SimConfig, ParsesRdapServers) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("sim_config_rdap_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir / "own");
  std::ofstream(dir / "cert.pem") << "CERT";
  std::ofstream(dir / "key.pem") << "KEY";
  std::ofstream(dir / "own" / "cert.pem") << "OWN CERT";
  std::ofstream(dir / "own" / "key.pem") << "OWN KEY";
  const std::string toml = R"(
[sim]
tls_cert = "cert.pem"
tls_key = "key.pem"
max_request_head = 2048
[[server]]
name = "rdap.registry.test"
protocol = "rdap"
tls = true
retry_after_s = 2
gzip = true
mode = "error"
  [[server.answer]]
  match = "*.com"
  text = "{}"
  status = 201
  content_type = "application/json"
  [[server.answer]]
  match = "*.net"
  redirect = "https://rdap.other.test/domain/{{query}}"
  [[server.answer]]
  match = "*.org"
  redirect = "https://x.test/"
  status = 301
[[server]]
name = "rdap.own.test"
protocol = "rdap"
tls = true
tls_cert = "own/cert.pem"
tls_key = "own/key.pem"
[[server]]
name = "rdap.plain.test"
protocol = "rdap"
[[server]]
name = "whois.test"
protocol = "whois"
)";
  std::string error;
  auto config = ParseSimConfig(toml, dir.string(), &error);
  std::filesystem::remove_all(dir);
  ASSERT_TRUE(config) << error;
  EXPECT_EQ(config->max_request_head, 2048u);
  EXPECT_EQ(config->tls_cert, (dir / "cert.pem").string());
  const ServerConfig& r = config->servers[0];
  EXPECT_EQ(r.protocol, Protocol::kRdap);
  EXPECT_TRUE(r.tls);
  EXPECT_EQ(r.tls_cert_pem, "CERT");
  EXPECT_EQ(r.tls_key_pem, "KEY");
  EXPECT_EQ(r.retry_after_s, 2);
  EXPECT_TRUE(r.gzip);
  EXPECT_EQ(r.mode, Mode::kError);
  EXPECT_EQ(r.not_found, "");  // the RDAP error body
  EXPECT_EQ(r.throttle_text, "Rate limit exceeded; slow down");
  ASSERT_EQ(r.answers.size(), 3u);
  EXPECT_EQ(r.answers[0].status, 201);
  EXPECT_EQ(r.answers[0].content_type, "application/json");
  EXPECT_EQ(r.answers[1].status, 302);
  EXPECT_EQ(r.answers[1].redirect, "https://rdap.other.test/domain/{{query}}");
  EXPECT_EQ(r.answers[1].content_type, "application/rdap+json");
  EXPECT_EQ(r.answers[2].status, 301);
  EXPECT_EQ(config->servers[1].tls_cert_pem, "OWN CERT");
  EXPECT_EQ(config->servers[1].tls_key_file, (dir / "own" / "key.pem").string());
  EXPECT_FALSE(config->servers[2].tls);
  EXPECT_EQ(config->servers[2].tls_cert_pem, "");
  EXPECT_EQ(config->servers[3].protocol, Protocol::kWhois);
}

TEST(SimConfig, RdapErrorsNameTheKey) {
  const std::string rdap = "[[server]]\nname = \"a\"\nprotocol = \"rdap\"\n";
  const std::string whois = "[[server]]\nname = \"a\"\n";
  struct Case {
    std::string toml;
    std::string error;
  } cases[] = {
      {"[[server]]\nname = \"a\"\nprotocol = \"http\"\n", "server[0].protocol must be one of whois, rdap"},
      {whois + "tls = true\n", "server[0].tls is only for protocol = \"rdap\""},
      {whois + "gzip = false\n", "server[0].gzip is only for protocol = \"rdap\""},
      {whois + "retry_after_s = 1\n", "server[0].retry_after_s is only for protocol = \"rdap\""},
      {whois + "mode = \"error\"\n", "server[0].mode \"error\" is only for protocol = \"rdap\""},
      {whois + "[[server.answer]]\nmatch = \"*\"\ntext = \"x\"\nstatus = 200\n",
       "server[0].answer[0].status is only for protocol = \"rdap\""},
      {rdap + "tls = true\n", "server[0].tls_cert must be set (here or in [sim]) when tls = true"},
      {rdap + "tls = 1\n", "server[0].tls must be true or false"},
      {rdap + "tls = true\ntls_cert = \"c.pem\"\n", "server[0].tls_key must be set together with tls_cert"},
      {rdap + "tls = true\ntls_key = \"k.pem\"\n", "server[0].tls_cert must be set together with tls_key"},
      {rdap + "tls = true\ntls_cert = \"c.pem\"\ntls_key = \"k.pem\"\n",
       "server[0].tls_cert names a file that cannot be read"},
      {"[sim]\ntls_cert = \"c.pem\"\ntls_key = \"k.pem\"\n" + rdap, "sim.tls_cert names a file that cannot be read"},
      {"[sim]\ntls_key = \"k.pem\"\n" + rdap, "sim.tls_cert must be set together with tls_key"},
      {"[sim]\nmax_request_head = 10\n" + rdap, "sim.max_request_head must be >= 256"},
      {rdap + "retry_after_s = -1\n", "server[0].retry_after_s must be >= 0"},
      {rdap + "[[server.answer]]\nmatch = \"*\"\ntext = \"x\"\nstatus = 600\n",
       "server[0].answer[0].status must be <= 599"},
      {rdap + "[[server.answer]]\nmatch = \"*\"\nredirect = \"https://x/\"\nstatus = 200\n",
       "server[0].answer[0].status must be 3xx with redirect"},
      {rdap + "[[server.answer]]\nmatch = \"*\"\nredirect = \"https://x/\"\ntext = \"x\"\n",
       "server[0].answer[0].redirect cannot be combined with file / text"},
      {rdap + "[[server.answer]]\nmatch = \"*\"\ntext = \"x\"\ncontent_type = \"\"\n",
       "server[0].answer[0].content_type must be a non-empty string"},
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
