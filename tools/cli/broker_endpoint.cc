#include "tools/cli/broker_endpoint.h"

#include <cstdio>

#include "config/options.h"

namespace whoisq::cli {

void AddBrokerFlags(CLI::App* sub, BrokerFlags& flags, const char* broker_help) {
  sub->add_option("--broker", flags.broker, broker_help);
  sub->add_option("--config", flags.config, "TOML configuration to read the broker's endpoints from");
}

std::string ResolveEndpoint(const BrokerFlags& flags, bool publish) {
  if (!flags.broker.empty()) return flags.broker;
  auto options = config::LoadOptions(flags.config);
  if (!options.ok()) {
    std::fprintf(stderr, "whoisq: %s\n", options.status().ToString().c_str());
    return "";
  }
  return publish ? options->broker.publish : options->broker.frontend;
}

std::unique_ptr<client::Client> ConnectClient(const BrokerFlags& flags, int& exit_code) {
  std::string endpoint = ResolveEndpoint(flags, false);
  if (endpoint.empty()) {
    exit_code = 2;
    return nullptr;
  }
  auto c = client::Client::Connect(endpoint);
  if (!c.ok()) {
    std::fprintf(stderr, "whoisq: %s\n", c.status().ToString().c_str());
    exit_code = 1;
    return nullptr;
  }
  return std::move(*c);
}

}  // namespace whoisq::cli
