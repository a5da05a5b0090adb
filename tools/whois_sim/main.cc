// whoisq-sim: simulated WHOIS and RDAP servers on loopback for tests, demos and benches.
#include <sys/resource.h>

#include <cstdio>
#include <iostream>

#include <CLI/CLI.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "tools/whois_sim/sim_config.h"
#include "tools/whois_sim/sim_server.h"

namespace {

// Thousands of simultaneous connections need more than the usual 1024 fds.
void RaiseFileLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

int Main(int argc, char** argv) {
  CLI::App app{
      "whoisq-sim: simulated WHOIS (RFC 3912) and RDAP (HTTP/1.1, HTTPS) servers on 127.0.0.1\n"
      "with exact limit accounting. Prints {\"control\": P, \"servers\": {\"host\": port}} on\n"
      "stdout once every socket is bound. Control socket commands: stats, reset, ports, quit.\n"
      "See docs/sim.md for the config keys."};
  std::string config_path;
  bool verbose = false;
  app.add_option("--config,-c", config_path, "TOML config file")->required();
  app.add_flag("--verbose,-v", verbose, "log at debug level on stderr");
  app.footer(
      "Config (TOML):\n"
      "  [sim]       bind (loopback only), control (port, 0 = free), ports_file, resolve_file,\n"
      "              root, idle_timeout_ms (10000), max_line (4096), slow_interval_ms (100),\n"
      "              max_request_head (8192), tls_cert + tls_key (PEM, for rdap servers)\n"
      "  [[server]]  name, port (0 = free), protocol (whois|rdap), concurrency, per_second, burst,\n"
      "              daily, slack_ms (25), delay_ms | delay_min_ms + delay_max_ms, mode (normal|\n"
      "              silent|endless|slow|refuse|binary|error), throttle_text, not_found (text or\n"
      "              @file); rdap only: tls, tls_cert + tls_key, retry_after_s, gzip\n"
      "  [[server.answer]]  match (exact or glob *), whole (match the whole line / path), file |\n"
      "              text; rdap only: status (200), redirect, content_type\n"
      "Templates: {{query}} {{QUERY}} {{line}}. Limits: 0 = unlimited.\n"
      "Exit: 0 on quit/SIGINT/SIGTERM (signals print the stats line), 2 bad config, 1 bind error.");
  app.set_version_flag("--version", std::string("whoisq-sim ") + WHOISQ_SIM_VERSION);
  CLI11_PARSE(app, argc, argv);

  auto logger = spdlog::stderr_color_st("whoisq-sim");
  spdlog::set_default_logger(logger);
  spdlog::set_level(verbose ? spdlog::level::debug : spdlog::level::info);

  std::string error;
  auto config = whoisq::sim::LoadSimConfig(config_path, &error);
  if (!config) {
    spdlog::error("{}: {}", config_path, error);
    return 2;
  }
  RaiseFileLimit();
  auto server = whoisq::sim::SimServer::Create(*config, &error);
  if (!server) {
    spdlog::error("{}", error);
    return 1;
  }
  std::cout << server->PortsJson() << std::endl;
  const auto reason = server->Run();
  if (reason == whoisq::sim::StopReason::kSignal) std::cout << server->StatsJson() << std::endl;
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return Main(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "whoisq-sim: %s\n", e.what());
    return 1;
  }
}
