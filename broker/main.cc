// whoisq-broker: the lookup front end, scheduler and store. See README "Running".
#include <csignal>
#include <cstdio>

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "broker/broker.h"

namespace {
whoisq::broker::Broker* g_broker = nullptr;
volatile std::sig_atomic_t g_stop_requested = 0;
void OnSignal(int) {
  g_stop_requested = 1;
  if (g_broker) g_broker->Stop();
}
}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"whoisq-broker: accepts lookups, schedules WHOIS queries, stores and publishes results"};
  app.set_version_flag("--version", "whoisq-broker 0.1.0");
  std::string config_path, frontend, publish, workers, store;
  app.add_option("--config", config_path, "TOML configuration file (default: built-in defaults)");
  app.add_option("--frontend", frontend, "client endpoint (overrides [broker] frontend)");
  app.add_option("--publish", publish, "result stream endpoint (overrides [broker] publish)");
  app.add_option("--workers", workers, "worker endpoint (overrides [broker] workers)");
  app.add_option("--store", store, "RocksDB folder (overrides [store] path)");
  // Handlers first: a stop that arrives during start-up is not lost.
  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  CLI11_PARSE(app, argc, argv);
  try {
    auto options = whoisq::config::LoadOptions(config_path);
    if (!options.ok()) {
      std::fprintf(stderr, "whoisq-broker: %s\n", options.status().ToString().c_str());
      return 2;
    }
    if (!frontend.empty()) options->broker.frontend = frontend;
    if (!publish.empty()) options->broker.publish = publish;
    if (!workers.empty()) options->broker.workers = workers;
    if (!store.empty()) options->store.path = store;
    spdlog::set_level(spdlog::level::from_str(options->log_level));
    auto broker = whoisq::broker::Broker::Create(*options);
    if (!broker.ok()) {
      std::fprintf(stderr, "whoisq-broker: %s\n", broker.status().ToString().c_str());
      return 2;
    }
    g_broker = broker->get();
    if (g_stop_requested) (*broker)->Stop();
    auto status = (*broker)->Run([](const whoisq::broker::BoundEndpoints& b) {
      // One JSON line on stdout: what a supervisor or test harness connects to.
      std::printf("{\"frontend\": \"%s\", \"publish\": \"%s\", \"workers\": \"%s\"}\n",
                  b.frontend.c_str(), b.publish.c_str(), b.workers.c_str());
      std::fflush(stdout);
    });
    g_broker = nullptr;
    if (!status.ok()) {
      std::fprintf(stderr, "whoisq-broker: %s\n", status.ToString().c_str());
      return 1;
    }
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "whoisq-broker: fatal: %s\n", e.what());
    return 1;
  }
}
