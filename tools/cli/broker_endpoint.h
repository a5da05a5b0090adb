// Where the CLI finds the broker: --broker, else [broker] frontend/publish of
// --config, else the built-in defaults.
#pragma once

#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "client/client.h"

namespace whoisq::cli {

struct BrokerFlags {
  std::string broker;   // --broker
  std::string config;   // --config
};

// Adds --broker and --config to a subcommand.
void AddBrokerFlags(CLI::App* sub, BrokerFlags& flags, const char* broker_help);

// Resolves the endpoint; `publish` picks [broker] publish instead of frontend.
// Prints the problem and returns "" when the config cannot be read.
std::string ResolveEndpoint(const BrokerFlags& flags, bool publish);

// Connects a client to the broker's frontend. On failure prints why, sets
// `exit_code` (2: bad configuration, 1: cannot connect) and returns nullptr.
std::unique_ptr<client::Client> ConnectClient(const BrokerFlags& flags, int& exit_code);

}  // namespace whoisq::cli
