#include "tools/whois_sim/sim_config.h"

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <toml++/toml.h>

#include <boost/asio/ip/address.hpp>

namespace whoisq::sim {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kDefaultThrottleText =
    "WHOIS LIMIT EXCEEDED - SEE WWW.PIR.ORG/WHOIS FOR DETAILS";
constexpr std::string_view kDefaultNotFound = "No match for \"{{QUERY}}\".";

// Thrown inside this file only, caught by ParseSimConfig.
struct ConfigError {
  std::string message;
};

[[noreturn]] void Fail(const std::string& key, const std::string& what) {
  throw ConfigError{key + " " + what};
}

void CheckKeys(const toml::table& table, const std::string& where,
               const std::set<std::string_view>& allowed) {
  for (const auto& [key, node] : table) {
    if (!allowed.count(key.str())) {
      Fail(where.empty() ? std::string(key.str()) : where + "." + std::string(key.str()),
           "is not a known key");
    }
  }
}

std::optional<std::string> GetString(const toml::table& table, std::string_view key,
                                     const std::string& where) {
  const toml::node* node = table.get(key);
  if (!node) return std::nullopt;
  if (!node->is_string()) Fail(where + "." + std::string(key), "must be a string");
  return node->value<std::string>();
}

std::optional<int64_t> GetInt(const toml::table& table, std::string_view key,
                              const std::string& where, int64_t min, int64_t max) {
  const toml::node* node = table.get(key);
  if (!node) return std::nullopt;
  const std::string name = where + "." + std::string(key);
  if (!node->is_integer()) Fail(name, "must be an integer");
  const int64_t v = *node->value<int64_t>();
  if (v < min) Fail(name, "must be >= " + std::to_string(min));
  if (v > max) Fail(name, "must be <= " + std::to_string(max));
  return v;
}

std::optional<double> GetNumber(const toml::table& table, std::string_view key,
                                const std::string& where, double min) {
  const toml::node* node = table.get(key);
  if (!node) return std::nullopt;
  const std::string name = where + "." + std::string(key);
  double v = 0;
  if (node->is_integer()) {
    v = static_cast<double>(*node->value<int64_t>());
  } else if (node->is_floating_point()) {
    v = *node->value<double>();
  } else {
    Fail(name, "must be a number");
  }
  if (!(v >= min)) Fail(name, "must be >= " + std::to_string(static_cast<int64_t>(min)));
  if (v > 1e9) Fail(name, "must be <= 1000000000");
  return v;
}

std::optional<bool> GetBool(const toml::table& table, std::string_view key,
                            const std::string& where) {
  const toml::node* node = table.get(key);
  if (!node) return std::nullopt;
  if (!node->is_boolean()) Fail(where + "." + std::string(key), "must be true or false");
  return node->value<bool>();
}

std::string ReadFile(const fs::path& path, const std::string& key) {
  std::ifstream in(path, std::ios::binary);
  if (!in) Fail(key, "names a file that cannot be read: " + path.string());
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

fs::path Resolve(const fs::path& root, const std::string& name) {
  fs::path p(name);
  return p.is_absolute() ? p : root / p;
}

// Inline text, or "@file" read relative to root.
std::string TextOrFile(const std::string& value, const fs::path& root, const std::string& key) {
  if (!value.empty() && value.front() == '@') return ReadFile(Resolve(root, value.substr(1)), key);
  return value;
}

Mode ParseMode(const std::string& value, const std::string& key) {
  if (value == "normal") return Mode::kNormal;
  if (value == "silent") return Mode::kSilent;
  if (value == "endless") return Mode::kEndless;
  if (value == "slow") return Mode::kSlow;
  if (value == "refuse") return Mode::kRefuse;
  if (value == "binary") return Mode::kBinary;
  Fail(key, "must be one of normal, silent, endless, slow, refuse, binary");
}

bool IsLoopback(const std::string& address) {
  boost::system::error_code ec;
  const auto addr = boost::asio::ip::make_address(address, ec);
  return !ec && addr.is_loopback();
}

SimConfig ParseSim(const toml::table& doc, const fs::path& base_dir) {
  CheckKeys(doc, "", {"sim", "server"});
  SimConfig config;
  fs::path root = base_dir;
  if (const toml::node* sim_node = doc.get("sim")) {
    const toml::table* sim = sim_node->as_table();
    if (!sim) Fail("sim", "must be a table");
    const std::string w = "sim";
    CheckKeys(*sim, w,
              {"bind", "control", "ports_file", "resolve_file", "root", "idle_timeout_ms",
               "max_line", "slow_interval_ms"});
    if (auto v = GetString(*sim, "bind", w)) config.bind = *v;
    if (!IsLoopback(config.bind)) Fail("sim.bind", "must be a loopback address (127.0.0.0/8 or ::1)");
    if (auto v = GetInt(*sim, "control", w, 0, 65535)) config.control = static_cast<uint16_t>(*v);
    if (auto v = GetString(*sim, "ports_file", w); v && !v->empty()) {
      config.ports_file = Resolve(base_dir, *v).string();
    }
    if (auto v = GetString(*sim, "resolve_file", w); v && !v->empty()) {
      config.resolve_file = Resolve(base_dir, *v).string();
    }
    if (auto v = GetString(*sim, "root", w); v && !v->empty()) root = Resolve(base_dir, *v);
    if (auto v = GetInt(*sim, "idle_timeout_ms", w, 1, 3600000)) {
      config.idle_timeout = std::chrono::milliseconds(*v);
    }
    if (auto v = GetInt(*sim, "max_line", w, 3, 1 << 20)) config.max_line = static_cast<size_t>(*v);
    if (auto v = GetInt(*sim, "slow_interval_ms", w, 1, 60000)) {
      config.slow_interval = std::chrono::milliseconds(*v);
    }
  }
  config.root = root.string();

  const toml::node* servers_node = doc.get("server");
  if (!servers_node) Fail("server", "must list at least one [[server]]");
  const toml::array* servers = servers_node->as_array();
  if (!servers || servers->empty()) Fail("server", "must list at least one [[server]]");

  std::set<std::string> names;
  std::set<uint16_t> ports;
  for (size_t i = 0; i < servers->size(); ++i) {
    const std::string w = "server[" + std::to_string(i) + "]";
    const toml::table* t = (*servers)[i].as_table();
    if (!t) Fail(w, "must be a table");
    CheckKeys(*t, w,
              {"name", "port", "concurrency", "per_second", "burst", "daily", "slack_ms",
               "delay_ms", "delay_min_ms", "delay_max_ms", "mode", "throttle_text", "not_found",
               "answer"});
    ServerConfig s;
    auto name = GetString(*t, "name", w);
    if (!name || name->empty()) Fail(w + ".name", "must be a non-empty string");
    s.name = *name;
    if (!names.insert(s.name).second) Fail(w + ".name", "repeats \"" + s.name + "\"");
    if (auto v = GetInt(*t, "port", w, 0, 65535)) s.port = static_cast<uint16_t>(*v);
    if (s.port != 0 && !ports.insert(s.port).second) {
      Fail(w + ".port", "repeats " + std::to_string(s.port));
    }
    if (auto v = GetInt(*t, "concurrency", w, 0, 1000000)) s.limits.concurrency = static_cast<int>(*v);
    if (auto v = GetNumber(*t, "per_second", w, 0)) s.limits.per_second = *v;
    if (auto v = GetInt(*t, "burst", w, 1, 1000000)) s.limits.burst = static_cast<int>(*v);
    if (auto v = GetInt(*t, "daily", w, 0, INT64_MAX)) s.limits.daily = *v;
    if (auto v = GetInt(*t, "slack_ms", w, 0, 3600000)) {
      s.limits.slack = std::chrono::milliseconds(*v);
    }
    const auto delay = GetInt(*t, "delay_ms", w, 0, 3600000);
    const auto delay_min = GetInt(*t, "delay_min_ms", w, 0, 3600000);
    const auto delay_max = GetInt(*t, "delay_max_ms", w, 0, 3600000);
    if (delay && (delay_min || delay_max)) {
      Fail(w + ".delay_ms", "cannot be combined with delay_min_ms / delay_max_ms");
    }
    if (delay) {
      s.delay_min = s.delay_max = std::chrono::milliseconds(*delay);
    } else if (delay_min || delay_max) {
      if (!delay_min || !delay_max) Fail(w + ".delay_min_ms", "and delay_max_ms must both be set");
      if (*delay_min > *delay_max) Fail(w + ".delay_max_ms", "must be >= delay_min_ms");
      s.delay_min = std::chrono::milliseconds(*delay_min);
      s.delay_max = std::chrono::milliseconds(*delay_max);
    }
    if (auto v = GetString(*t, "mode", w)) s.mode = ParseMode(*v, w + ".mode");
    s.throttle_text = std::string(kDefaultThrottleText);
    if (auto v = GetString(*t, "throttle_text", w)) {
      s.throttle_text = TextOrFile(*v, root, w + ".throttle_text");
    }
    s.not_found = std::string(kDefaultNotFound);
    if (auto v = GetString(*t, "not_found", w)) s.not_found = TextOrFile(*v, root, w + ".not_found");

    if (const toml::node* answers_node = t->get("answer")) {
      const toml::array* answers = answers_node->as_array();
      if (!answers) Fail(w + ".answer", "must be an array of tables ([[server.answer]])");
      for (size_t j = 0; j < answers->size(); ++j) {
        const std::string aw = w + ".answer[" + std::to_string(j) + "]";
        const toml::table* a = (*answers)[j].as_table();
        if (!a) Fail(aw, "must be a table");
        CheckKeys(*a, aw, {"match", "whole", "file", "text"});
        AnswerRule rule;
        auto match = GetString(*a, "match", aw);
        if (!match || match->empty()) Fail(aw + ".match", "must be a non-empty string");
        rule.match = *match;
        if (auto v = GetBool(*a, "whole", aw)) rule.whole = *v;
        auto file = GetString(*a, "file", aw);
        auto text = GetString(*a, "text", aw);
        if (file.has_value() == text.has_value()) Fail(aw, "must set exactly one of file, text");
        rule.text = file ? ReadFile(Resolve(root, *file), aw + ".file") : *text;
        s.answers.push_back(std::move(rule));
      }
    }
    config.servers.push_back(std::move(s));
  }
  if (config.control != 0 && ports.count(config.control)) {
    Fail("sim.control", "repeats a server port " + std::to_string(config.control));
  }
  return config;
}

}  // namespace

std::string_view ModeName(Mode mode) {
  switch (mode) {
    case Mode::kNormal: return "normal";
    case Mode::kSilent: return "silent";
    case Mode::kEndless: return "endless";
    case Mode::kSlow: return "slow";
    case Mode::kRefuse: return "refuse";
    case Mode::kBinary: return "binary";
  }
  return "?";
}

std::optional<SimConfig> ParseSimConfig(std::string_view toml_text, const std::string& base_dir,
                                        std::string* error) {
  try {
    const toml::table doc = toml::parse(toml_text);
    return ParseSim(doc, fs::path(base_dir));
  } catch (const toml::parse_error& e) {
    std::ostringstream msg;
    msg << "TOML syntax error at line " << e.source().begin.line << ", column "
        << e.source().begin.column << ": " << e.description();
    *error = msg.str();
  } catch (const ConfigError& e) {
    *error = e.message;
  }
  return std::nullopt;
}

std::optional<SimConfig> LoadSimConfig(const std::string& path, std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = "cannot read config file " + path;
    return std::nullopt;
  }
  std::ostringstream text;
  text << in.rdbuf();
  fs::path dir = fs::absolute(fs::path(path)).parent_path();
  return ParseSimConfig(text.str(), dir.string(), error);
}

}  // namespace whoisq::sim
