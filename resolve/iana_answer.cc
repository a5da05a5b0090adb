// IanaWhoisServer(): the referral in a whois.iana.org answer.
#include "resolve/iana_answer.h"

#include <string>
#include <string_view>

namespace whoisq::resolve {
namespace {

constexpr size_t kMaxHostBytes = 253;
constexpr size_t kMaxLabelBytes = 63;

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != prefix[i]) return false;
  }
  return true;
}

// A plain host name, lower-cased, or "" if the value is anything else (a URL,
// a host:port, an address with spaces, a label over 63 bytes, ...).
std::string ValidHost(std::string_view value) {
  if (!value.empty() && value.back() == '.') value.remove_suffix(1);
  if (value.empty() || value.size() > kMaxHostBytes) return "";
  std::string host;
  size_t label = 0;
  for (char c : value) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    bool ldh = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    if (c == '.') {
      if (label == 0 || host.back() == '-') return "";
      label = 0;
    } else if (!ldh || (label == 0 && c == '-') || ++label > kMaxLabelBytes) {
      return "";
    }
    host += c;
  }
  if (label == 0 || host.back() == '-') return "";
  return host;
}

}  // namespace

std::optional<std::string> IanaWhoisServer(std::string_view iana_answer) {
  std::string whois;
  size_t pos = 0;
  while (pos < iana_answer.size()) {
    size_t end = iana_answer.find('\n', pos);
    if (end == std::string_view::npos) end = iana_answer.size();
    std::string_view line = Trim(iana_answer.substr(pos, end - pos));
    pos = end + 1;
    if (StartsWithIgnoreCase(line, "refer:")) {
      std::string host = ValidHost(Trim(line.substr(6)));
      if (!host.empty()) return host;
    } else if (whois.empty() && StartsWithIgnoreCase(line, "whois:")) {
      whois = ValidHost(Trim(line.substr(6)));
    }
  }
  if (whois.empty()) return std::nullopt;
  return whois;
}

}  // namespace whoisq::resolve
