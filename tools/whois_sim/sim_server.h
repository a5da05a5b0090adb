// whoisq-sim as a component: all simulated WHOIS servers of one config plus
// the control socket, on one io_context and one thread.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "tools/whois_sim/sim_config.h"

namespace whoisq::sim {

enum class StopReason { kQuit, kSignal, kStopped };

// Create() binds every socket and writes ports_file / resolve_file; Run()
// serves until "quit" on the control socket, SIGINT/SIGTERM, or Stop().
// All methods except Stop() must be called from the thread that calls Run()
// (or before Run()).
class SimServer {
 public:
  // Returns nullptr and sets `*error` if a socket cannot be bound or an
  // output file cannot be written.
  static std::unique_ptr<SimServer> Create(const SimConfig& config, std::string* error);
  ~SimServer();

  uint16_t control_port() const;
  // Host name -> bound port.
  std::map<std::string, uint16_t> ports() const;
  // One line: {"control": P, "servers": {"host": port, ...}}.
  std::string PortsJson() const;
  // One line: {"servers": {"host": {counters..., "queries_by_name": {...}}}}.
  std::string StatsJson() const;
  // Zeroes all counters.
  void Reset();

  // Serves until stopped; returns why. Handles SIGINT/SIGTERM itself.
  StopReason Run();
  // Makes Run() return kStopped; safe from any thread.
  void Stop();

 private:
  class Impl;
  explicit SimServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace whoisq::sim
