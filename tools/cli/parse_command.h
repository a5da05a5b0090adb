// `whoisq parse`: parse raw WHOIS answers offline (see README "Parser").
#pragma once

#include <CLI/CLI.hpp>

namespace whoisq::cli {

// Registers the `parse` subcommand; its callback stores the exit code.
void AddParseCommand(CLI::App& app, int& exit_code);

}  // namespace whoisq::cli
