// Runs the real whoisq-sim binary on loopback and talks to it over TCP.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/sim/sim_test_util.h"

namespace {

namespace fs = std::filesystem;
using whoisq::sim::testing::Ask;
using whoisq::sim::testing::Client;
using whoisq::sim::testing::kIoTimeout;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// whoisq-sim started on a config in a fresh temp dir; killed if still running.
class SimProcess {
 public:
  explicit SimProcess(const std::string& toml) {
    dir_ = fs::temp_directory_path() /
           ("sim_process_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter_++));
    fs::create_directories(dir_);
    std::ofstream(dir_ / "sim.toml") << toml;
    Spawn({WHOISQ_SIM_BINARY, "--config", (dir_ / "sim.toml").string()});
  }
  ~SimProcess() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (out_fd_ >= 0) ::close(out_fd_);
    if (err_fd_ >= 0) ::close(err_fd_);
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  const fs::path& dir() const { return dir_; }

  // First stdout line, parsed; null json on deadline.
  nlohmann::json ReadPortsLine() {
    const std::string line = ReadLine(out_fd_, kIoTimeout);
    if (line.empty()) return nullptr;
    return nlohmann::json::parse(line, nullptr, false);
  }
  std::string ReadStdoutLine() { return ReadLine(out_fd_, kIoTimeout); }
  std::string ReadAllStderr() { return ReadLine(err_fd_, kIoTimeout, /*to_eof=*/true); }

  // Waits for exit; returns the exit code, or -1 on deadline / signal.
  int Wait(milliseconds timeout = kIoTimeout) {
    const auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      }
      std::this_thread::sleep_for(milliseconds(10));
    }
    return -1;
  }
  void Signal(int sig) { ::kill(pid_, sig); }

 private:
  void Spawn(std::vector<std::string> args) {
    int out[2], err[2];
    ASSERT_EQ(::pipe(out), 0);
    ASSERT_EQ(::pipe(err), 0);
    pid_ = ::fork();
    ASSERT_GE(pid_, 0);
    if (pid_ == 0) {
      ::dup2(out[1], 1);
      ::dup2(err[1], 2);
      ::close(out[0]);
      ::close(err[0]);
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    ::close(out[1]);
    ::close(err[1]);
    out_fd_ = out[0];
    err_fd_ = err[0];
  }

  std::string ReadLine(int fd, milliseconds timeout, bool to_eof = false) {
    const auto deadline = Clock::now() + timeout;
    std::string& buf = fd == out_fd_ ? out_buf_ : err_buf_;
    for (;;) {
      const size_t nl = buf.find('\n');
      if (!to_eof && nl != std::string::npos) {
        std::string line = buf.substr(0, nl);
        buf.erase(0, nl + 1);
        return line;
      }
      const auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now()).count();
      if (left <= 0) return to_eof ? buf : std::string();
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left)) <= 0) continue;
      char chunk[4096];
      const ssize_t n = ::read(fd, chunk, sizeof chunk);
      if (n <= 0) return to_eof ? buf : std::string();
      buf.append(chunk, static_cast<size_t>(n));
    }
  }

  static inline int counter_ = 0;
  fs::path dir_;
  pid_t pid_ = -1;
  int out_fd_ = -1;
  int err_fd_ = -1;
  std::string out_buf_, err_buf_;
};

nlohmann::json Stats(uint16_t control) {
  auto reply = Ask(control, "stats\n");
  if (!reply) return nullptr;
  return nlohmann::json::parse(*reply, nullptr, false);
}

const char* kConfig = R"(
[sim]
ports_file = "ports.json"
resolve_file = "resolve.toml"

[[server]]
name = "whois.example.com"
per_second = 2
burst = 2
slack_ms = 25
not_found = "No match for \"{{QUERY}}\"."
throttle_text = "WHOIS LIMIT EXCEEDED - SEE WWW.PIR.ORG/WHOIS FOR DETAILS"
  [[server.answer]]
  match = "*.com"
  text = "Domain Name: {{QUERY}}\nasked: {{line}}\n"

[[server]]
name = "whois.held.net"
concurrency = 1
delay_ms = 600

[[server]]
name = "whois.refuse.org"
mode = "refuse"

[[server]]
name = "whois.silent.org"
mode = "silent"
concurrency = 1
)";

class SimProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sim_.emplace(kConfig);
    ports_ = sim_->ReadPortsLine();
    ASSERT_TRUE(ports_.is_object()) << sim_->ReadAllStderr();
    control_ = ports_["control"].get<uint16_t>();
  }
  uint16_t Port(const std::string& host) { return ports_["servers"][host].get<uint16_t>(); }

  std::optional<SimProcess> sim_;
  nlohmann::json ports_;
  uint16_t control_ = 0;
};

TEST_F(SimProcessTest, AnnouncesPortsAndWritesFiles) {
  ASSERT_EQ(ports_["servers"].size(), 4u);
  std::ifstream ports_file(sim_->dir() / "ports.json");
  ASSERT_TRUE(ports_file);
  EXPECT_EQ(nlohmann::json::parse(ports_file), ports_);
  std::ifstream resolve_file(sim_->dir() / "resolve.toml");
  std::string resolve((std::istreambuf_iterator<char>(resolve_file)), {});
  EXPECT_NE(resolve.find("[resolve]\n"), std::string::npos);
  EXPECT_NE(resolve.find("\"whois.example.com\" = \"127.0.0.1:" +
                         std::to_string(Port("whois.example.com")) + "\""),
            std::string::npos)
      << resolve;
}

TEST_F(SimProcessTest, AnswersWithTemplatesAndCrlf) {
  auto answer = Ask(Port("whois.example.com"), "domain Google.COM\r\n");
  ASSERT_TRUE(answer);
  EXPECT_EQ(*answer, "Domain Name: GOOGLE.COM\r\nasked: domain Google.COM\r\n");
  std::this_thread::sleep_for(milliseconds(550));  // stay within 2/s
  answer = Ask(Port("whois.example.com"), "nothing.org\r\n");
  ASSERT_TRUE(answer);
  EXPECT_EQ(*answer, "No match for \"NOTHING.ORG\".\r\n");
  const auto stats = Stats(control_)["servers"]["whois.example.com"];
  EXPECT_EQ(stats["queries"], 2);
  EXPECT_EQ(stats["served"], 2);
  EXPECT_EQ(stats["queries_by_name"]["google.com"], 1);
  EXPECT_EQ(stats["queries_by_name"]["nothing.org"], 1);
}

TEST_F(SimProcessTest, RateBreachCountedExactlyOnceThenReset) {
  const uint16_t port = Port("whois.example.com");
  // Burst 2: two back-to-back queries conform, the third arrives early.
  EXPECT_EQ(Ask(port, "a.com\r\n").value_or(""), "Domain Name: A.COM\r\nasked: a.com\r\n");
  EXPECT_EQ(Ask(port, "b.com\r\n").value_or(""), "Domain Name: B.COM\r\nasked: b.com\r\n");
  EXPECT_EQ(Ask(port, "c.com\r\n").value_or(""),
            "WHOIS LIMIT EXCEEDED - SEE WWW.PIR.ORG/WHOIS FOR DETAILS\r\n");
  auto stats = Stats(control_)["servers"]["whois.example.com"];
  EXPECT_EQ(stats["queries"], 3);
  EXPECT_EQ(stats["served"], 2);
  EXPECT_EQ(stats["breaches_rate"], 1);
  EXPECT_EQ(stats["breaches_concurrency"], 0);
  EXPECT_EQ(stats["breaches_daily"], 0);
  EXPECT_EQ(stats["queries_by_name"]["c.com"], 1);

  EXPECT_EQ(Ask(control_, "reset\n").value_or(""), "ok\n");
  stats = Stats(control_)["servers"]["whois.example.com"];
  EXPECT_EQ(stats["queries"], 0);
  EXPECT_EQ(stats["breaches_rate"], 0);
  EXPECT_TRUE(stats["queries_by_name"].empty());
  // Reset also forgets the GCRA history: a fresh burst is allowed.
  EXPECT_EQ(Ask(port, "d.com\r\n").value_or(""), "Domain Name: D.COM\r\nasked: d.com\r\n");
}

TEST_F(SimProcessTest, ConcurrencyBreachWhileAQueryIsInService) {
  const uint16_t port = Port("whois.held.net");
  Client first(port);
  ASSERT_TRUE(first.Send("one.net\r\n"));
  // Wait until the server has taken the first query.
  for (int i = 0; i < 100 && Stats(control_)["servers"]["whois.held.net"]["queries"] != 1; ++i) {
    std::this_thread::sleep_for(milliseconds(10));
  }
  EXPECT_EQ(Ask(port, "two.net\r\n").value_or(""),
            "WHOIS LIMIT EXCEEDED - SEE WWW.PIR.ORG/WHOIS FOR DETAILS\r\n");
  EXPECT_EQ(first.ReadToEnd().value_or(""), "No match for \"ONE.NET\".\r\n");
  // The slot is free once the server closed: the next query is served.
  EXPECT_EQ(Ask(port, "three.net\r\n").value_or(""), "No match for \"THREE.NET\".\r\n");
  const auto stats = Stats(control_)["servers"]["whois.held.net"];
  EXPECT_EQ(stats["breaches_concurrency"], 1);
  EXPECT_EQ(stats["served"], 2);
  EXPECT_EQ(stats["max_concurrent_seen"], 1);
  EXPECT_EQ(stats["open"], 0);
}

TEST_F(SimProcessTest, RefuseClosesWithoutAnswer) {
  Client client(Port("whois.refuse.org"));
  ASSERT_TRUE(client.ok());
  client.Send("x.org\r\n");
  EXPECT_EQ(client.ReadToEnd().value_or("timeout"), "");
  const auto stats = Stats(control_)["servers"]["whois.refuse.org"];
  EXPECT_EQ(stats["connections"], 1);
  EXPECT_EQ(stats["queries"], 0);
}

TEST_F(SimProcessTest, SilentNeverAnswersAndHoldsItsSlot) {
  const uint16_t port = Port("whois.silent.org");
  Client client(port);
  ASSERT_TRUE(client.Send("quiet.org\r\n"));
  EXPECT_TRUE(client.StaysQuiet(milliseconds(300)));
  auto stats = Stats(control_)["servers"]["whois.silent.org"];
  EXPECT_EQ(stats["served"], 1);
  EXPECT_EQ(stats["open"], 1);
  client.Close();
  for (int i = 0; i < 100 && Stats(control_)["servers"]["whois.silent.org"]["open"] != 0; ++i) {
    std::this_thread::sleep_for(milliseconds(10));
  }
  EXPECT_EQ(Stats(control_)["servers"]["whois.silent.org"]["open"], 0);
}

TEST_F(SimProcessTest, OverlongLineIsABadRequest) {
  Client client(Port("whois.example.com"));
  client.Send(std::string(5000, 'a'));
  EXPECT_EQ(client.ReadToEnd().value_or("timeout"), "");
  const auto stats = Stats(control_)["servers"]["whois.example.com"];
  EXPECT_EQ(stats["bad_requests"], 1);
  EXPECT_EQ(stats["queries"], 0);
}

TEST_F(SimProcessTest, QuitExitsZero) {
  EXPECT_EQ(Ask(control_, "quit\n").value_or(""), "ok\n");
  EXPECT_EQ(sim_->Wait(), 0);
}

TEST_F(SimProcessTest, SigtermPrintsStatsAndExitsZero) {
  Ask(Port("whois.example.com"), "x.com\r\n");
  sim_->Signal(SIGTERM);
  const auto stats = nlohmann::json::parse(sim_->ReadStdoutLine(), nullptr, false);
  EXPECT_EQ(stats["servers"]["whois.example.com"]["served"], 1);
  EXPECT_EQ(sim_->Wait(), 0);
}

TEST(SimProcess, RdapServerIsAnnouncedAndServesHttp) {
  SimProcess sim(R"(
[sim]
ports_file = "ports.json"
resolve_file = "resolve.toml"
[[server]]
name = "whois.example.com"
[[server]]
name = "rdap.example.test"
protocol = "rdap"
  [[server.answer]]
  match = "*.com"
  text = '{"ldhName":"{{QUERY}}"}'
)");
  const auto ports = sim.ReadPortsLine();
  ASSERT_TRUE(ports.is_object()) << sim.ReadAllStderr();
  ASSERT_EQ(ports["servers"].size(), 2u);
  const uint16_t port = ports["servers"]["rdap.example.test"].get<uint16_t>();
  std::ifstream resolve_file(sim.dir() / "resolve.toml");
  std::string resolve((std::istreambuf_iterator<char>(resolve_file)), {});
  EXPECT_NE(resolve.find("\"rdap.example.test\" = \"127.0.0.1:" + std::to_string(port) + "\""),
            std::string::npos)
      << resolve;
  std::ifstream ports_file(sim.dir() / "ports.json");
  ASSERT_TRUE(ports_file);
  EXPECT_EQ(nlohmann::json::parse(ports_file), ports);

  const auto answer = Ask(port, "GET /domain/a.com HTTP/1.1\r\nHost: rdap.example.test\r\n"
                                "Connection: close\r\n\r\n");
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << *answer;
  EXPECT_NE(answer->find("\r\n\r\n{\"ldhName\":\"A.COM\"}"), std::string::npos) << *answer;
  const auto stats = Stats(ports["control"].get<uint16_t>())["servers"]["rdap.example.test"];
  EXPECT_EQ(stats["protocol"], "rdap");
  EXPECT_EQ(stats["served"], 1);
  EXPECT_EQ(stats["statuses"]["200"], 1);
}

TEST(SimProcess, InvalidConfigNamesTheKeyAndBindsNothing) {
  SimProcess sim("[[server]]\nname = \"a\"\n[[server]]\nname = \"b\"\nper_second = -3\n");
  EXPECT_EQ(sim.Wait(), 2);
  EXPECT_NE(sim.ReadAllStderr().find("server[1].per_second must be >= 0"), std::string::npos);
}

}  // namespace
