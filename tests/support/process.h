// A child process for end-to-end tests: spawned from argv with its stdout on a
// pipe, read line by line with a timeout, stopped by signal. The destructor
// kills and reaps it, so no test leaves a process behind.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace whoisq::testing {

class Process {
 public:
  // Starts argv[0] with the arguments; stderr goes to `stderr_path` if given,
  // else to the test's stderr. Returns nullopt (and prints why) on failure.
  static std::optional<Process> Spawn(const std::vector<std::string>& argv,
                                      const std::string& stderr_path = "");
  Process(Process&& other) noexcept;
  Process& operator=(Process&& other) noexcept;
  Process(const Process&) = delete;
  ~Process();

  // The next line of stdout (without the newline), or nullopt on timeout/EOF.
  std::optional<std::string> ReadLine(std::chrono::milliseconds timeout);
  // Everything left on stdout until EOF or timeout.
  std::string ReadAll(std::chrono::milliseconds timeout);
  // Sends a signal (SIGTERM by default).
  void Signal(int sig);
  // Waits for exit; the exit code, 128+signal, or nullopt on timeout.
  std::optional<int> Wait(std::chrono::milliseconds timeout);
  pid_t pid() const { return pid_; }

 private:
  Process(pid_t pid, int out_fd) : pid_(pid), out_fd_(out_fd) {}
  pid_t pid_ = -1;
  int out_fd_ = -1;
  std::string buffer_;
  bool reaped_ = false;
};

// A fresh temporary directory, removed with its contents on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// Writes `text` to `path`; aborts the test program on failure.
void WriteFile(const std::string& path, const std::string& text);
std::string ReadFile(const std::string& path);

}  // namespace whoisq::testing
