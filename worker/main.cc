// whoisq-worker: runs WHOIS queries for a broker. See README "Running".
#include <csignal>
#include <cstdio>

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "worker/worker.h"

namespace {
whoisq::worker::Worker* g_worker = nullptr;
volatile std::sig_atomic_t g_stop_requested = 0;
void OnSignal(int) {
  g_stop_requested = 1;
  if (g_worker) g_worker->Stop();
}
}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"whoisq-worker: performs WHOIS queries under the broker's tokens"};
  app.set_version_flag("--version", "whoisq-worker 0.1.0");
  std::string config_path;
  std::string broker;
  uint32_t slots = 0;
  app.add_option("--config", config_path, "TOML configuration file (default: built-in defaults)");
  app.add_option("--broker", broker, "broker worker endpoint (overrides [broker] workers)");
  app.add_option("--slots", slots, "jobs run at once (overrides [worker] slots)");
  // Handlers first: a stop that arrives during start-up is not lost.
  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  CLI11_PARSE(app, argc, argv);
  try {
    auto options = whoisq::config::LoadOptions(config_path);
    if (!options.ok()) {
      std::fprintf(stderr, "whoisq-worker: %s\n", options.status().ToString().c_str());
      return 2;
    }
    if (!broker.empty()) options->broker.workers = broker;
    if (slots) options->worker.slots = slots;
    spdlog::set_level(spdlog::level::from_str(options->log_level));
    auto worker = whoisq::worker::Worker::Create(*options);
    if (!worker.ok()) {
      std::fprintf(stderr, "whoisq-worker: %s\n", worker.status().ToString().c_str());
      return 2;
    }
    g_worker = worker->get();
    if (g_stop_requested) (*worker)->Stop();
    // One JSON line on stdout once signals are handled (supervisors, tests).
    std::printf("{\"worker\": \"started\", \"broker\": \"%s\", \"slots\": %u}\n",
                options->broker.workers.c_str(), options->worker.slots);
    std::fflush(stdout);
    auto status = (*worker)->Run();
    g_worker = nullptr;
    if (!status.ok()) {
      std::fprintf(stderr, "whoisq-worker: %s\n", status.ToString().c_str());
      return 1;
    }
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "whoisq-worker: fatal: %s\n", e.what());
    return 1;
  }
}
