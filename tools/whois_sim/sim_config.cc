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
// RDAP: the description inside the 429 error body.
constexpr std::string_view kDefaultRdapThrottleText = "Rate limit exceeded; slow down";
constexpr int kMaxRetryAfterS = 86400;

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
  if (value == "error") return Mode::kError;
  Fail(key, "must be one of normal, silent, endless, slow, refuse, binary, error");
}

Protocol ParseProtocol(const std::string& value, const std::string& key) {
  if (value == "whois") return Protocol::kWhois;
  if (value == "rdap") return Protocol::kRdap;
  Fail(key, "must be one of whois, rdap");
}

// A PEM chain and key named by `cert_key` / `key_key` ("server[0].tls_cert");
// both or neither. Returns true if set.
bool ReadTlsPair(const toml::table& table, const std::string& where, const fs::path& base_dir,
                 std::string* cert_file, std::string* key_file, std::string* cert_pem,
                 std::string* key_pem) {
  auto cert = GetString(table, "tls_cert", where);
  auto key = GetString(table, "tls_key", where);
  const bool has_cert = cert && !cert->empty();
  const bool has_key = key && !key->empty();
  if (has_cert != has_key) {
    Fail(where + (has_cert ? ".tls_key" : ".tls_cert"),
         "must be set together with " + std::string(has_cert ? "tls_cert" : "tls_key"));
  }
  if (!has_cert) return false;
  *cert_file = Resolve(base_dir, *cert).string();
  *key_file = Resolve(base_dir, *key).string();
  *cert_pem = ReadFile(*cert_file, where + ".tls_cert");
  *key_pem = ReadFile(*key_file, where + ".tls_key");
  return true;
}

// Keys a WHOIS server must not carry.
void RejectRdapKeys(const toml::table& table, const std::string& where,
                    std::initializer_list<std::string_view> keys) {
  for (std::string_view key : keys) {
    if (table.get(key)) Fail(where + "." + std::string(key), "is only for protocol = \"rdap\"");
  }
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
  bool has_sim_tls = false;
  std::string sim_cert_pem, sim_key_pem;
  if (const toml::node* sim_node = doc.get("sim")) {
    const toml::table* sim = sim_node->as_table();
    if (!sim) Fail("sim", "must be a table");
    const std::string w = "sim";
    CheckKeys(*sim, w,
              {"bind", "control", "ports_file", "resolve_file", "root", "idle_timeout_ms",
               "max_line", "slow_interval_ms", "max_request_head", "tls_cert", "tls_key"});
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
    if (auto v = GetInt(*sim, "max_request_head", w, 256, 1 << 20)) {
      config.max_request_head = static_cast<size_t>(*v);
    }
    has_sim_tls = ReadTlsPair(*sim, w, base_dir, &config.tls_cert, &config.tls_key,
                              &sim_cert_pem, &sim_key_pem);
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
               "answer", "protocol", "tls", "tls_cert", "tls_key", "retry_after_s", "gzip"});
    ServerConfig s;
    if (auto v = GetString(*t, "protocol", w)) s.protocol = ParseProtocol(*v, w + ".protocol");
    const bool rdap = s.protocol == Protocol::kRdap;
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
    if (s.mode == Mode::kError && !rdap) Fail(w + ".mode", "\"error\" is only for protocol = \"rdap\"");
    s.throttle_text = std::string(rdap ? kDefaultRdapThrottleText : kDefaultThrottleText);
    if (auto v = GetString(*t, "throttle_text", w)) {
      s.throttle_text = TextOrFile(*v, root, w + ".throttle_text");
    }
    // RDAP: empty = the RDAP error body {"errorCode":404,...}.
    s.not_found = rdap ? std::string() : std::string(kDefaultNotFound);
    if (auto v = GetString(*t, "not_found", w)) s.not_found = TextOrFile(*v, root, w + ".not_found");

    if (!rdap) {
      RejectRdapKeys(*t, w, {"tls", "tls_cert", "tls_key", "retry_after_s", "gzip"});
    } else {
      if (auto v = GetBool(*t, "tls", w)) s.tls = *v;
      const bool own = ReadTlsPair(*t, w, base_dir, &s.tls_cert_file, &s.tls_key_file,
                                   &s.tls_cert_pem, &s.tls_key_pem);
      if (own && !s.tls) Fail(w + ".tls_cert", "needs tls = true");
      if (s.tls && !own) {
        if (!has_sim_tls) Fail(w + ".tls_cert", "must be set (here or in [sim]) when tls = true");
        s.tls_cert_file = config.tls_cert;
        s.tls_key_file = config.tls_key;
        s.tls_cert_pem = sim_cert_pem;
        s.tls_key_pem = sim_key_pem;
      }
      if (auto v = GetInt(*t, "retry_after_s", w, 0, kMaxRetryAfterS)) {
        s.retry_after_s = static_cast<int>(*v);
      }
      if (auto v = GetBool(*t, "gzip", w)) s.gzip = *v;
    }

    if (const toml::node* answers_node = t->get("answer")) {
      const toml::array* answers = answers_node->as_array();
      if (!answers) Fail(w + ".answer", "must be an array of tables ([[server.answer]])");
      for (size_t j = 0; j < answers->size(); ++j) {
        const std::string aw = w + ".answer[" + std::to_string(j) + "]";
        const toml::table* a = (*answers)[j].as_table();
        if (!a) Fail(aw, "must be a table");
        CheckKeys(*a, aw, {"match", "whole", "file", "text", "status", "redirect", "content_type"});
        if (!rdap) RejectRdapKeys(*a, aw, {"status", "redirect", "content_type"});
        AnswerRule rule;
        auto match = GetString(*a, "match", aw);
        if (!match || match->empty()) Fail(aw + ".match", "must be a non-empty string");
        rule.match = *match;
        if (auto v = GetBool(*a, "whole", aw)) rule.whole = *v;
        const auto status = GetInt(*a, "status", aw, 100, 599);
        if (auto v = GetString(*a, "redirect", aw)) rule.redirect = *v;
        if (auto v = GetString(*a, "content_type", aw)) {
          if (v->empty()) Fail(aw + ".content_type", "must be a non-empty string");
          rule.content_type = *v;
        }
        auto file = GetString(*a, "file", aw);
        auto text = GetString(*a, "text", aw);
        if (!rule.redirect.empty()) {
          if (file || text) Fail(aw + ".redirect", "cannot be combined with file / text");
          if (status && (*status < 300 || *status > 399)) Fail(aw + ".status", "must be 3xx with redirect");
          rule.status = status ? static_cast<int>(*status) : 302;
        } else {
          if (file.has_value() == text.has_value()) Fail(aw, "must set exactly one of file, text");
          rule.text = file ? ReadFile(Resolve(root, *file), aw + ".file") : *text;
          if (status) rule.status = static_cast<int>(*status);
        }
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
    case Mode::kError: return "error";
  }
  return "?";
}

std::string_view ProtocolName(Protocol protocol) {
  switch (protocol) {
    case Protocol::kWhois: return "whois";
    case Protocol::kRdap: return "rdap";
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
