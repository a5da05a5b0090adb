// parse_bench [CORPUS_DIR] [SECONDS]: loads every raw answer of the corpus
// into memory, then parses them all again and again on one thread for about
// SECONDS (default 3) and prints responses/s and MB/s. Reads only the
// "server", "query" and "raw" fields of cases.jsonl.
#include <time.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "worker/parse/parser.h"

namespace {

struct Answer {
  whoisq::parse::ParseOptions options;
  std::string raw;
};

std::vector<Answer> LoadCorpus(const std::filesystem::path& dir) {
  std::vector<Answer> answers;
  std::ifstream cases(dir / "cases.jsonl");
  std::string line;
  while (std::getline(cases, line)) {
    if (line.empty()) continue;
    nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    if (!j.is_object() || !j["raw"].is_string()) continue;
    Answer a;
    a.options.server = j.value("server", "");
    if (j["query"].is_string()) a.options.query = j["query"].get<std::string>();
    std::ifstream in(dir / j["raw"].get<std::string>(), std::ios::binary);
    std::ostringstream buf;
    buf << in.rdbuf();
    a.raw = std::move(buf).str();
    answers.push_back(std::move(a));
  }
  return answers;
}

double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

}  // namespace

int main(int argc, char** argv) {
  std::filesystem::path dir = argc > 1 ? argv[1] : WHOISQ_PARSE_CORPUS_DIR;
  double seconds = argc > 2 ? std::atof(argv[2]) : 3.0;
  std::vector<Answer> answers = LoadCorpus(dir);
  if (answers.empty()) {
    std::fprintf(stderr, "parse_bench: no answers under %s\n", dir.string().c_str());
    return 1;
  }
  size_t bytes_per_pass = 0;
  for (const Answer& a : answers) bytes_per_pass += a.raw.size();

  size_t sink = 0;  // keeps the optimizer from dropping the work
  for (const Answer& a : answers) sink += whoisq::parse::Parse(a.raw, a.options).rawdata.size();

  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  const double cpu_start = ThreadCpuSeconds();
  size_t passes = 0;
  double elapsed = 0;
  do {
    for (const Answer& a : answers) {
      sink += whoisq::parse::Parse(a.raw, a.options).regrinfo.domain.nserver.size();
    }
    ++passes;
    elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  } while (elapsed < seconds);

  const double cpu = ThreadCpuSeconds() - cpu_start;

  // Figures per second of CPU time of the parsing thread (one core), and per
  // second of wall time (lower when the machine is shared).
  const double responses = static_cast<double>(passes * answers.size());
  const double megabytes = static_cast<double>(passes * bytes_per_pass) / (1024.0 * 1024.0);
  std::printf("parse_bench: %zu answers (%.2f MB) x %zu passes, %.2f s wall, %.2f s CPU, one thread\n",
              answers.size(), bytes_per_pass / (1024.0 * 1024.0), passes, elapsed, cpu);
  std::printf("responses/s %.0f (per CPU second; %.0f per wall second)\n", responses / cpu,
              responses / elapsed);
  std::printf("MB/s %.1f (per CPU second; %.1f per wall second)\n", megabytes / cpu,
              megabytes / elapsed);
  std::printf("mean %.2f us CPU/response\n", cpu * 1e6 / responses);
  return sink == 0 ? 2 : 0;
}
