// parse_bench [CORPUS_DIR] [SECONDS] [RDAP_DIR]: loads every raw answer of the
// corpus into memory, then parses them all again and again on one thread for
// about SECONDS (default 3) and prints responses/s and MB/s. Reads only the
// "server", "query" and "raw" fields of cases.jsonl. Then the same for the
// RDAP JSON answers of RDAP_DIR (default tests/fixtures/rdap) with ParseRdap.
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
#include "worker/parse/rdap.h"

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

std::vector<std::string> LoadRdap(const std::filesystem::path& dir) {
  std::vector<std::string> bodies;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.path().extension() != ".json") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream buf;
    buf << in.rdbuf();
    bodies.push_back(std::move(buf).str());
  }
  return bodies;
}

double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// Calls `pass` (one parse of every answer) again and again for about
// `seconds`, then prints the figures: per second of CPU time of the parsing
// thread (one core), and per second of wall time (lower when the machine is
// shared). `label` starts the first line, `prefix` the others.
template <typename Pass>
void Measure(const char* label, const char* prefix, size_t answers, size_t bytes_per_pass,
             double seconds, Pass&& pass) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  const double cpu_start = ThreadCpuSeconds();
  size_t passes = 0;
  double elapsed = 0;
  do {
    pass();
    ++passes;
    elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  } while (elapsed < seconds);
  const double cpu = ThreadCpuSeconds() - cpu_start;

  const double responses = static_cast<double>(passes * answers);
  const double megabytes = static_cast<double>(passes * bytes_per_pass) / (1024.0 * 1024.0);
  std::printf("%s: %zu answers (%.2f MB) x %zu passes, %.2f s wall, %.2f s CPU, one thread\n",
              label, answers, bytes_per_pass / (1024.0 * 1024.0), passes, elapsed, cpu);
  std::printf("%sresponses/s %.0f (per CPU second; %.0f per wall second)\n", prefix,
              responses / cpu, responses / elapsed);
  std::printf("%sMB/s %.1f (per CPU second; %.1f per wall second)\n", prefix, megabytes / cpu,
              megabytes / elapsed);
  std::printf("%smean %.2f us CPU/response\n", prefix, cpu * 1e6 / responses);
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
  Measure("parse_bench", "", answers.size(), bytes_per_pass, seconds, [&] {
    for (const Answer& a : answers) {
      sink += whoisq::parse::Parse(a.raw, a.options).regrinfo.domain.nserver.size();
    }
  });

  const std::filesystem::path rdap_dir =
      argc > 3 ? std::filesystem::path(argv[3])
               : std::filesystem::path(WHOISQ_PARSE_CORPUS_DIR).parent_path() / "rdap";
  const std::vector<std::string> bodies = LoadRdap(rdap_dir);
  if (bodies.empty()) {
    std::fprintf(stderr, "parse_bench: no RDAP answers under %s\n", rdap_dir.string().c_str());
    return 1;
  }
  size_t rdap_bytes = 0;
  for (const std::string& b : bodies) rdap_bytes += b.size();
  Measure("rdap", "rdap ", bodies.size(), rdap_bytes, seconds, [&] {
    for (const std::string& b : bodies) {
      auto r = whoisq::parse::ParseRdap(b, {});
      sink += r.ok() ? r->record.rawdata.size() : 0;
    }
  });
  return sink == 0 ? 2 : 0;
}
