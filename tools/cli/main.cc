// whoisq: the command-line client. Each subcommand lives in its own file and
// registers itself on the CLI11 app with a callback that sets the exit code;
// this main only dispatches.
#include <cstdio>
#include <exception>

#include <CLI/CLI.hpp>

#include "tools/cli/lookup_command.h"
#include "tools/cli/parse_command.h"
#include "tools/cli/subscribe_command.h"

int main(int argc, char** argv) {
  CLI::App app{"whoisq: WHOIS/RDAP lookups through a whoisq broker"};
  app.set_version_flag("--version", "whoisq 0.1.0");
  app.require_subcommand(1);
  int exit_code = 0;
  whoisq::cli::AddLookupCommand(app, exit_code);
  whoisq::cli::AddSubscribeCommand(app, exit_code);
  whoisq::cli::AddStatsCommand(app, exit_code);
  whoisq::cli::AddParseCommand(app, exit_code);
  try {
    app.parse(argc, argv);  // runs the chosen subcommand's callback
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "whoisq: %s\n", e.what());
    return 1;
  }
  return exit_code;
}
