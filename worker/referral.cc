#include "worker/referral.h"

#include "schema/ascii.h"

#include <array>
#include <charconv>

namespace whoisq::worker {
namespace {


std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}


// Turns a referral value into host/port: "whois.x.net", "whois://whois.x.net",
// "whois.x.net:4343", "whois.x.net/"; nullopt for other URL schemes.
std::optional<Referral> ParseTarget(std::string_view value) {
  value = Trim(value);
  if (size_t scheme = value.find("://"); scheme != std::string_view::npos) {
    if (schema::AsciiLower(value.substr(0, scheme)) != "whois") return std::nullopt;
    value.remove_prefix(scheme + 3);
  }
  while (!value.empty() && value.back() == '/') value.remove_suffix(1);
  Referral r;
  if (size_t colon = value.rfind(':'); colon != std::string_view::npos) {
    std::string_view port = value.substr(colon + 1);
    unsigned v = 0;
    auto [p, ec] = std::from_chars(port.data(), port.data() + port.size(), v);
    if (ec != std::errc() || p != port.data() + port.size() || v == 0 || v > 65535) {
      return std::nullopt;
    }
    r.port = static_cast<uint16_t>(v);
    value = value.substr(0, colon);
  }
  while (!value.empty() && value.back() == '.') value.remove_suffix(1);
  r.host = schema::AsciiLower(value);
  if (!IsHostName(r.host)) return std::nullopt;
  return r;
}

}  // namespace

bool IsHostName(std::string_view host) {
  if (host.empty() || host.size() > 253 || host.find('.') == std::string_view::npos) return false;
  size_t label = 0;
  char prev = '.';
  for (char c : host) {
    if (c == '.') {
      if (label == 0 || prev == '-') return false;
      label = 0;
    } else if (std::isalnum(static_cast<unsigned char>(c)) || c == '-') {
      if (label == 0 && c == '-') return false;
      if (++label > 63) return false;
    } else {
      return false;
    }
    prev = c;
  }
  return label > 0 && prev != '-';
}

std::optional<Referral> FindReferral(std::string_view answer, std::string_view current_host) {
  // Keys in order of authority. ARIN lists several ReferralServer lines from
  // less to more specific: the last one wins.
  static constexpr std::array<std::string_view, 5> kKeys = {
      "registrar whois server:", "whois server:", "referralserver:", "refer:", "whois:"};
  std::optional<Referral> found;
  size_t found_rank = kKeys.size();
  size_t pos = 0;
  while (pos < answer.size()) {
    size_t end = answer.find('\n', pos);
    if (end == std::string_view::npos) end = answer.size();
    std::string_view line = Trim(answer.substr(pos, end - pos));
    pos = end + 1;
    for (size_t rank = 0; rank < kKeys.size(); ++rank) {
      if (!schema::StartsWithIgnoreCase(line, kKeys[rank])) continue;
      std::string_view value = line.substr(kKeys[rank].size());
      if (Trim(value).empty()) break;
      bool better = rank < found_rank || (rank == found_rank && kKeys[rank] == "referralserver:");
      if (!better) break;
      if (auto target = ParseTarget(value)) {
        found = std::move(target);
        found_rank = rank;
      }
      break;
    }
  }
  if (found && found->host == schema::AsciiLower(current_host)) return std::nullopt;  // self-referral
  return found;
}

}  // namespace whoisq::worker
