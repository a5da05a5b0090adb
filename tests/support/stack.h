// The whole service as real processes for end-to-end tests: whoisq-sim
// serving a fixture's simulated WHOIS servers on 127.0.0.1, a broker, and
// workers, with a whoisq config generated so every server name resolves to
// the simulator's ports (strict_resolve: nothing leaves loopback) and every
// limit matches what the simulator enforces.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/support/process.h"

namespace whoisq::testing {

struct StackOptions {
  std::string sim_config;      // whoisq-sim TOML (fixture)
  int workers = 2;
  uint32_t worker_slots = 16;
  std::string extra_toml;      // appended to the generated whoisq config
  double limit_scale = 1.0;    // whoisq's limits = the simulator's × this (< 1: stricter)
  // Per host, instead of limit_scale (> 1: whoisq believes the server allows
  // more than it does, so it gets throttled).
  std::map<std::string, double> host_limit_scale;
  // [protocol] prefer; the WHOIS fixtures' servers have no RDAP twin, so
  // "whois" unless a test is about RDAP. A test may add [protocol.tld].
  std::string prefer = "whois";
  // [rdap] bootstrap: "" = the built-in files only, no refresh.
  std::string rdap_bootstrap;
  std::vector<std::string> rdap_insecure;  // [rdap] insecure
  // Generate test certificates for every simulated server name: a CA that
  // whoisq trusts ([rdap] ca_file) in <dir>/pki/trusted/{cert,key}.pem and
  // one it does not in <dir>/pki/untrusted/. The simulator's config is then
  // copied with "@PKI@" replaced by <dir>/pki and [sim] root set to the
  // fixture's folder.
  bool pki = false;
};

class Stack {
 public:
  // Starts everything; on failure records a test failure and returns nullptr.
  static std::unique_ptr<Stack> Start(const StackOptions& options);
  ~Stack();

  const std::string& frontend() const { return frontend_; }
  const std::string& publish() const { return publish_; }
  const std::string& config_path() const { return config_path_; }
  const TempDir& dir() const { return dir_; }

  // The simulator's counters: {"servers": {"host": {...}}}.
  nlohmann::json SimStats();
  // Sum of a counter over all simulated servers.
  uint64_t SimTotal(const std::string& counter);

  bool StartWorker();
  // Stops the broker with `sig` and starts it again on the same endpoints and store.
  bool RestartBroker(int sig);
  // Stops workers and broker gracefully (SIGTERM); true if all exited 0.
  bool Stop();

 private:
  Stack() = default;
  bool MakePki();
  bool StartSim();
  bool WriteConfig();
  bool StartBroker();

  StackOptions options_;
  TempDir dir_;
  std::optional<Process> sim_;
  std::optional<Process> broker_;
  std::vector<Process> workers_;
  int sim_control_port_ = 0;
  nlohmann::json sim_ports_;
  std::string config_path_;
  std::string sim_config_;  // the simulator's config as started
  std::string frontend_, publish_, workers_endpoint_;
};

// Paths of the built programs and the fixtures (compile definitions).
std::string BrokerBin();
std::string WorkerBin();
std::string SimBin();
std::string CliBin();
std::string FixtureDir();   // tests/fixtures
std::string SourceDir();    // the repository root

}  // namespace whoisq::testing
