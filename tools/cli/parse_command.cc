#include "tools/cli/parse_command.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "schema/json.h"
#include "worker/parse/parser.h"

namespace whoisq::cli {
namespace {

struct ParseFlags {
  std::string server;
  std::string query;
  std::string file;
  bool jsonl = false;
  std::string root = ".";
};

bool ReadFile(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream buf;
  buf << in.rdbuf();
  out = std::move(buf).str();
  return true;
}

std::string StringField(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return "";
  return it->get<std::string>();
}

// One answer file -> pretty JSON on stdout.
int RunSingle(const ParseFlags& flags) {
  std::string raw;
  if (flags.file == "-") {
    std::ostringstream buf;
    buf << std::cin.rdbuf();
    raw = std::move(buf).str();
  } else if (!ReadFile(flags.file, raw)) {
    std::fprintf(stderr, "whoisq parse: cannot read %s\n", flags.file.c_str());
    return 1;
  }
  parse::ParseOptions options{flags.server, flags.query};
  schema::Record record = parse::Parse(raw, options);
  std::string out =
      schema::ToJson(record).dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fputc('\n', stdout);
  return 0;
}

// JSON lines {"id", "server", "query", "raw"} on stdin -> {"id", "result"}
// lines on stdout. Reads no other field of the input.
int RunJsonl(const ParseFlags& flags) {
  std::string line;
  int failures = 0;
  long line_number = 0;
  while (std::getline(std::cin, line)) {
    ++line_number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    nlohmann::json in = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (!in.is_object() || !in.contains("id")) {
      std::fprintf(stderr, "whoisq parse: line %ld: not a JSON object with an id\n", line_number);
      ++failures;
      continue;
    }
    std::string raw;
    std::string raw_path = StringField(in, "raw");
    if (raw_path.empty() || !ReadFile((std::filesystem::path(flags.root) / raw_path).string(), raw)) {
      std::fprintf(stderr, "whoisq parse: line %ld: cannot read raw file '%s'\n", line_number,
                   raw_path.c_str());
      ++failures;
      continue;
    }
    parse::ParseOptions options{StringField(in, "server"), StringField(in, "query")};
    nlohmann::json out = {{"id", in["id"]}, {"result", schema::ToJson(parse::Parse(raw, options))}};
    std::string text = out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    text.push_back('\n');
    std::fwrite(text.data(), 1, text.size(), stdout);
  }
  return failures == 0 ? 0 : 1;
}

}  // namespace

void AddParseCommand(CLI::App& app, int& exit_code) {
  CLI::App* sub = app.add_subcommand("parse", "Parse raw WHOIS answers into records (JSON)");
  auto flags = std::make_shared<ParseFlags>();
  sub->add_option("--server", flags->server, "WHOIS host that gave the answer (picks its rules)");
  sub->add_option("--query", flags->query, "The name that was asked for");
  sub->add_flag("--jsonl", flags->jsonl,
                "Read {\"id\",\"server\",\"query\",\"raw\"} lines on stdin, write {\"id\",\"result\"}");
  sub->add_option("--root", flags->root, "With --jsonl: folder the \"raw\" paths are relative to");
  sub->add_option("file", flags->file, "Raw answer file ('-' for stdin)");
  sub->callback([flags, &exit_code] {
    if (flags->jsonl) {
      exit_code = RunJsonl(*flags);
      return;
    }
    if (flags->file.empty()) {
      std::fprintf(stderr, "whoisq parse: give a FILE, or --jsonl\n");
      exit_code = 2;
      return;
    }
    exit_code = RunSingle(*flags);
  });
}

}  // namespace whoisq::cli
