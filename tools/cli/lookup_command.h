// `whoisq lookup`: one or many lookups through the broker (README "CLI").
#pragma once

#include <CLI/CLI.hpp>

namespace whoisq::cli {

void AddLookupCommand(CLI::App& app, int& exit_code);

}  // namespace whoisq::cli
