// `whoisq subscribe` and `whoisq stats` (README "CLI").
#pragma once

#include <CLI/CLI.hpp>

namespace whoisq::cli {

void AddSubscribeCommand(CLI::App& app, int& exit_code);
void AddStatsCommand(CLI::App& app, int& exit_code);

}  // namespace whoisq::cli
