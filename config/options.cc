#include "config/options.h"

#include <charconv>
#include <set>
#include <sstream>

#include <toml++/toml.h>

#include "schema/ascii.h"

namespace whoisq::config {
namespace {

using schema::ErrorCode;
using schema::Result;
using schema::Status;

Status Bad(std::string message) { return Status(ErrorCode::kMalformed, std::move(message)); }

// Reads typed keys from one table, remembering which keys were seen so the
// rest can be reported as unknown.
class TableReader {
 public:
  TableReader(const toml::table* table, std::string name) : table_(table), name_(std::move(name)) {}

  Status String(const char* key, std::string& out) {
    const toml::node* n = Find(key);
    if (!n) return {};
    if (!n->is_string()) return Bad(Where(key) + " must be a string");
    out = n->as_string()->get();
    return {};
  }
  Status Bool(const char* key, bool& out) {
    const toml::node* n = Find(key);
    if (!n) return {};
    if (!n->is_boolean()) return Bad(Where(key) + " must be true or false");
    out = n->as_boolean()->get();
    return {};
  }
  template <typename Int>
  Status Integer(const char* key, Int& out, int64_t min, int64_t max) {
    const toml::node* n = Find(key);
    if (!n) return {};
    if (!n->is_integer()) return Bad(Where(key) + " must be an integer");
    int64_t v = n->as_integer()->get();
    if (v < min || v > max) {
      return Bad(Where(key) + " must be in [" + std::to_string(min) + ", " + std::to_string(max) +
                 "], got " + std::to_string(v));
    }
    out = static_cast<Int>(v);
    return {};
  }
  Status Double(const char* key, double& out, double min_exclusive) {
    const toml::node* n = Find(key);
    if (!n) return {};
    double v;
    if (n->is_floating_point()) {
      v = n->as_floating_point()->get();
    } else if (n->is_integer()) {
      v = static_cast<double>(n->as_integer()->get());
    } else {
      return Bad(Where(key) + " must be a number");
    }
    if (!(v > min_exclusive)) {
      std::ostringstream s;
      s << Where(key) << " must be > " << min_exclusive << ", got " << v;
      return Bad(s.str());
    }
    out = v;
    return {};
  }
  Status StringList(const char* key, std::vector<std::string>& out) {
    const toml::node* n = Find(key);
    if (!n) return {};
    if (!n->is_array()) return Bad(Where(key) + " must be an array of strings");
    out.clear();
    for (const toml::node& e : *n->as_array()) {
      if (!e.is_string()) return Bad(Where(key) + " must be an array of strings");
      out.push_back(e.as_string()->get());
    }
    return {};
  }
  // A key whose value the caller reads itself (a sub-table).
  const toml::node* Node(const char* key) { return Find(key); }
  Status RejectUnknown() const {
    if (!table_) return {};
    for (const auto& [key, value] : *table_) {
      if (!seen_.count(std::string(key.str()))) {
        return Bad("unknown key " + Where(std::string(key.str()).c_str()));
      }
    }
    return {};
  }

 private:
  const toml::node* Find(const char* key) {
    seen_.insert(key);
    return table_ ? table_->get(key) : nullptr;
  }
  std::string Where(const char* key) const { return "[" + name_ + "] " + key; }

  const toml::table* table_;
  std::string name_;
  std::set<std::string> seen_;
};

#define WHOISQ_RETURN_IF_ERROR(expr)     \
  do {                                   \
    Status _s = (expr);                  \
    if (!_s.ok()) return _s;             \
  } while (0)

Status CheckProtocol(const std::string& where, const std::string& value) {
  if (value == "rdap" || value == "whois") return {};
  return Bad(where + " must be \"rdap\" or \"whois\", got \"" + value + "\"");
}

Status ReadLimits(const toml::table* t, const std::string& name, LimitOptions& out) {
  TableReader r(t, name);
  WHOISQ_RETURN_IF_ERROR(r.Integer("concurrency", out.concurrency, 0, 100000));
  WHOISQ_RETURN_IF_ERROR(r.Double("per_second", out.per_second, 0.0));
  WHOISQ_RETURN_IF_ERROR(r.Integer("burst", out.burst, 1, 1000000));
  WHOISQ_RETURN_IF_ERROR(r.Integer("daily", out.daily, 0, INT64_MAX));
  WHOISQ_RETURN_IF_ERROR(r.String("group", out.group));
  return r.RejectUnknown();
}

const toml::table* SubTable(const toml::table& root, const char* key, Status& status) {
  const toml::node* n = root.get(key);
  if (!n) return nullptr;
  if (!n->is_table()) status = Bad(std::string("[") + key + "] must be a table");
  return n->as_table();
}

Result<Options> FromTable(const toml::table& root) {
  Options o;
  Status st;
  static const std::set<std::string> kSections = {"broker", "store", "network", "worker", "rdap",
                                                  "protocol", "limits", "resolve", "log"};
  for (const auto& [key, value] : root) {
    if (!kSections.count(std::string(key.str()))) {
      return Bad("unknown section [" + std::string(key.str()) + "]");
    }
  }

  if (const toml::table* t = SubTable(root, "broker", st)) {
    TableReader r(t, "broker");
    WHOISQ_RETURN_IF_ERROR(r.String("frontend", o.broker.frontend));
    WHOISQ_RETURN_IF_ERROR(r.String("publish", o.broker.publish));
    WHOISQ_RETURN_IF_ERROR(r.String("workers", o.broker.workers));
    WHOISQ_RETURN_IF_ERROR(r.Integer("heartbeat_ms", o.broker.heartbeat_ms, 50, 600000));
    WHOISQ_RETURN_IF_ERROR(r.Integer("lease_ms", o.broker.lease_ms, 100, 86400000));
    WHOISQ_RETURN_IF_ERROR(r.Integer("max_hops", o.broker.max_hops, 1, 16));
    WHOISQ_RETURN_IF_ERROR(r.Integer("max_pending", o.broker.max_pending, 1, 100000000));
    WHOISQ_RETURN_IF_ERROR(r.Integer("dispatch_lead_ms", o.broker.dispatch_lead_ms, 0, 1000));
    WHOISQ_RETURN_IF_ERROR(r.RejectUnknown());
  }
  WHOISQ_RETURN_IF_ERROR(st);
  if (const toml::table* t = SubTable(root, "store", st)) {
    TableReader r(t, "store");
    WHOISQ_RETURN_IF_ERROR(r.String("path", o.store.path));
    WHOISQ_RETURN_IF_ERROR(r.Integer("result_ttl_s", o.store.result_ttl_s, 0, INT64_MAX / 1000));
    WHOISQ_RETURN_IF_ERROR(r.Integer("fallback_ttl_s", o.store.fallback_ttl_s, 0, INT64_MAX / 1000));
    WHOISQ_RETURN_IF_ERROR(r.Integer("tld_ttl_s", o.store.tld_ttl_s, 0, INT64_MAX / 1000));
    WHOISQ_RETURN_IF_ERROR(r.RejectUnknown());
  }
  WHOISQ_RETURN_IF_ERROR(st);
  if (const toml::table* t = SubTable(root, "network", st)) {
    TableReader r(t, "network");
    WHOISQ_RETURN_IF_ERROR(r.String("iana", o.network.iana));
    WHOISQ_RETURN_IF_ERROR(r.Integer("iana_port", o.network.iana_port, 1, 65535));
    WHOISQ_RETURN_IF_ERROR(r.Integer("timeout_s", o.network.timeout_s, 1, 3600));
    WHOISQ_RETURN_IF_ERROR(r.Integer("connect_timeout_s", o.network.connect_timeout_s, 1, 3600));
    WHOISQ_RETURN_IF_ERROR(
        r.Integer("max_response_bytes", o.network.max_response_bytes, 1024, 64 << 20));
    WHOISQ_RETURN_IF_ERROR(r.Bool("strict_resolve", o.network.strict_resolve));
    WHOISQ_RETURN_IF_ERROR(r.RejectUnknown());
  }
  WHOISQ_RETURN_IF_ERROR(st);
  if (const toml::table* t = SubTable(root, "worker", st)) {
    TableReader r(t, "worker");
    WHOISQ_RETURN_IF_ERROR(r.Integer("slots", o.worker.slots, 1, 100000));
    WHOISQ_RETURN_IF_ERROR(r.String("id", o.worker.id));
    WHOISQ_RETURN_IF_ERROR(r.RejectUnknown());
  }
  WHOISQ_RETURN_IF_ERROR(st);
  if (const toml::table* t = SubTable(root, "rdap", st)) {
    TableReader r(t, "rdap");
    WHOISQ_RETURN_IF_ERROR(r.String("bootstrap", o.rdap.bootstrap));
    WHOISQ_RETURN_IF_ERROR(r.Integer("bootstrap_ttl_s", o.rdap.bootstrap_ttl_s, 60, INT64_MAX / 1000));
    WHOISQ_RETURN_IF_ERROR(r.String("ca_file", o.rdap.ca_file));
    WHOISQ_RETURN_IF_ERROR(r.StringList("insecure", o.rdap.insecure));
    WHOISQ_RETURN_IF_ERROR(r.Integer("max_redirects", o.rdap.max_redirects, 0, 10));
    WHOISQ_RETURN_IF_ERROR(r.RejectUnknown());
    for (std::string& host : o.rdap.insecure) host = schema::AsciiLower(host);
    const std::string& b = o.rdap.bootstrap;
    if (!b.empty() && !((b.rfind("https://", 0) == 0 || b.rfind("http://", 0) == 0) && b.back() == '/')) {
      return Bad("[rdap] bootstrap must be an http(s) URL ending in '/' (or \"\" to never refresh)");
    }
  }
  WHOISQ_RETURN_IF_ERROR(st);
  if (const toml::table* t = SubTable(root, "protocol", st)) {
    TableReader r(t, "protocol");
    WHOISQ_RETURN_IF_ERROR(r.String("prefer", o.protocol.prefer));
    WHOISQ_RETURN_IF_ERROR(CheckProtocol("[protocol] prefer", o.protocol.prefer));
    if (const toml::node* n = r.Node("tld")) {
      if (!n->is_table()) return Bad("[protocol.tld] must be a table");
      for (const auto& [key, value] : *n->as_table()) {
        std::string tld = schema::AsciiLower(key.str());
        std::string where = "[protocol.tld] \"" + tld + "\"";
        if (!value.is_string()) return Bad(where + " must be \"rdap\" or \"whois\"");
        std::string p = value.as_string()->get();
        WHOISQ_RETURN_IF_ERROR(CheckProtocol(where, p));
        o.protocol.tld[tld] = p;
      }
    }
    WHOISQ_RETURN_IF_ERROR(r.RejectUnknown());
  }
  WHOISQ_RETURN_IF_ERROR(st);
  if (const toml::table* t = SubTable(root, "log", st)) {
    TableReader r(t, "log");
    WHOISQ_RETURN_IF_ERROR(r.String("level", o.log_level));
    WHOISQ_RETURN_IF_ERROR(r.RejectUnknown());
    static const std::set<std::string> kLevels = {"trace", "debug", "info", "warn", "error", "off"};
    if (!kLevels.count(o.log_level)) {
      return Bad("[log] level must be one of trace, debug, info, warn, error, off");
    }
  }
  WHOISQ_RETURN_IF_ERROR(st);
  if (const toml::table* t = SubTable(root, "resolve", st)) {
    for (const auto& [key, value] : *t) {
      std::string host(key.str());
      if (!value.is_string()) return Bad("[resolve] \"" + host + "\" must be a string \"addr:port\"");
      std::string target = value.as_string()->get();
      auto hp = SplitHostPort(target);
      if (!hp.ok()) return Bad("[resolve] \"" + host + "\": " + hp.status().message());
      o.resolve[schema::AsciiLower(host)] = target;
    }
  }
  WHOISQ_RETURN_IF_ERROR(st);
  if (const toml::table* t = SubTable(root, "limits", st)) {
    for (const auto& [key, value] : *t) {
      std::string host(key.str());
      if (!value.is_table()) return Bad("[limits." + host + "] must be a table");
      if (host == "default") {
        WHOISQ_RETURN_IF_ERROR(ReadLimits(value.as_table(), "limits.default", o.default_limits));
      }
    }
    for (const auto& [key, value] : *t) {
      std::string host(key.str());
      if (host == "default") continue;
      LimitOptions limits = o.default_limits;
      limits.group.clear();
      WHOISQ_RETURN_IF_ERROR(ReadLimits(value.as_table(), "limits.\"" + host + "\"", limits));
      o.limits[schema::AsciiLower(host)] = limits;
    }
  }
  WHOISQ_RETURN_IF_ERROR(st);
  if (o.network.iana.empty()) return Bad("[network] iana must not be empty");
  if (o.store.path.empty()) return Bad("[store] path must not be empty");
  return o;
}

}  // namespace

Result<HostPort> SplitHostPort(std::string_view text) {
  HostPort hp;
  std::string_view port_part;
  if (!text.empty() && text.front() == '[') {
    size_t close = text.find(']');
    if (close == std::string_view::npos) return Bad("missing ']' in '" + std::string(text) + "'");
    hp.host = std::string(text.substr(1, close - 1));
    std::string_view rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return Bad("expected ':port' after ']' in '" + std::string(text) + "'");
      port_part = rest.substr(1);
    }
  } else {
    size_t colon = text.rfind(':');
    if (colon != std::string_view::npos && text.find(':') == colon) {
      hp.host = std::string(text.substr(0, colon));
      port_part = text.substr(colon + 1);
    } else {
      hp.host = std::string(text);  // bare address (or an IPv6 literal without brackets)
    }
  }
  if (hp.host.empty()) return Bad("empty address in '" + std::string(text) + "'");
  if (!port_part.empty()) {
    unsigned v = 0;
    auto [p, ec] = std::from_chars(port_part.data(), port_part.data() + port_part.size(), v);
    if (ec != std::errc() || p != port_part.data() + port_part.size() || v == 0 || v > 65535) {
      return Bad("port must be in [1, 65535] in '" + std::string(text) + "'");
    }
    hp.port = static_cast<uint16_t>(v);
  }
  return hp;
}

Result<Options> ParseOptions(std::string_view toml_text, const std::string& origin) {
  try {
    toml::table root = toml::parse(toml_text, origin);
    return FromTable(root);
  } catch (const toml::parse_error& e) {
    std::ostringstream s;
    s << origin << ":" << e.source().begin.line << ":" << e.source().begin.column << ": "
      << e.description();
    return Bad(s.str());
  }
}

Result<Options> LoadOptions(const std::string& path) {
  if (path.empty()) return Options{};
  try {
    toml::table root = toml::parse_file(path);
    auto o = FromTable(root);
    if (!o.ok()) return Bad(path + ": " + o.status().message());
    return o;
  } catch (const toml::parse_error& e) {
    std::ostringstream s;
    s << path << ":" << e.source().begin.line << ":" << e.source().begin.column << ": "
      << e.description();
    return Bad(s.str());
  }
}

}  // namespace whoisq::config
