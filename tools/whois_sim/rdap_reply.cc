#include "tools/whois_sim/rdap_reply.h"

#include <zlib.h>

#include <cctype>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "schema/ascii.h"

namespace whoisq::sim {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string PercentDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      const int hi = HexValue(text[i + 1]);
      const int lo = HexValue(text[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(text[i]);
  }
  return out;
}

Query ParseRdapTarget(std::string_view target) {
  const size_t end = target.find_first_of("?#");
  std::string_view path = target.substr(0, end);
  Query query;
  query.line = std::string(path);
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  const size_t slash = path.rfind('/');
  const std::string_view segment = slash == std::string_view::npos ? path : path.substr(slash + 1);
  query.name = schema::AsciiLower(PercentDecode(segment));
  return query;
}

bool HostMatches(std::string_view host, std::string_view name) {
  host = Trim(host);
  if (!host.empty() && host.front() == '[') {  // IPv6 literal: "[::1]:443"
    const size_t close = host.find(']');
    if (close == std::string_view::npos) return false;
    host = host.substr(1, close - 1);
  } else if (const size_t colon = host.rfind(':'); colon != std::string_view::npos) {
    const std::string_view port = host.substr(colon + 1);
    for (char c : port) {
      if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    }
    host = host.substr(0, colon);
  }
  // A trailing dot names the same host ("example.test.").
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);
  return !host.empty() && schema::EqualsIgnoreCase(host, name);
}

bool AcceptsGzip(std::string_view accept_encoding) {
  while (!accept_encoding.empty()) {
    const size_t comma = accept_encoding.find(',');
    std::string_view item = accept_encoding.substr(0, comma);
    accept_encoding = comma == std::string_view::npos ? std::string_view() : accept_encoding.substr(comma + 1);
    const size_t semi = item.find(';');
    const std::string_view coding = Trim(item.substr(0, semi));
    if (!schema::EqualsIgnoreCase(coding, "gzip") && !schema::EqualsIgnoreCase(coding, "x-gzip") &&
        coding != "*") {
      continue;
    }
    if (semi == std::string_view::npos) return true;
    // "q=0", "q=0.0", "q=0.000" refuse the coding; any other weight allows it.
    std::string_view param = Trim(item.substr(semi + 1));
    if (param.size() < 2 || (param[0] != 'q' && param[0] != 'Q') || param[1] != '=') return true;
    param.remove_prefix(2);
    bool zero = !param.empty();
    for (char c : param) {
      if (c != '0' && c != '.') zero = false;
    }
    if (!zero) return true;
  }
  return false;
}

std::string Gzip(std::string_view data) {
  z_stream zs{};
  // windowBits 15 + 16: a gzip header and trailer instead of zlib's.
  if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("deflateInit2 failed");
  }
  std::string out(deflateBound(&zs, static_cast<uLong>(data.size())), '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) throw std::runtime_error("deflate failed");
  return out;
}

std::string RdapErrorBody(int code, std::string_view title, std::string_view description) {
  nlohmann::ordered_json j;  // RFC 9083's order: errorCode, title, description
  j["errorCode"] = code;
  j["title"] = std::string(title);
  j["description"] = nlohmann::ordered_json::array({std::string(description)});
  // Names come from the network and need not be UTF-8.
  return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

RdapReply ErrorReply(int status, std::string_view title, std::string_view description) {
  RdapReply reply;
  reply.status = status;
  reply.body = RdapErrorBody(status, title, description);
  return reply;
}

RdapReply AnswerRdap(const AnswerBook& book, const Query& query) {
  RdapReply reply;
  if (const AnswerRule* rule = book.Find(query)) {
    reply.status = rule->status;
    if (!rule->redirect.empty()) {
      reply.location = RenderTemplate(rule->redirect, query);
      reply.content_type.clear();
      return reply;
    }
    reply.content_type = rule->content_type;
    reply.body = RenderTemplate(rule->text, query);
    return reply;
  }
  if (!book.not_found().empty()) {
    reply.status = 404;
    reply.body = RenderTemplate(book.not_found(), query);
    return reply;
  }
  return ErrorReply(404, "Not Found", "No match for \"" + query.name + "\"");
}

RdapReply ThrottleReply(std::string_view throttle_text, const Query& query) {
  return ErrorReply(429, "Too Many Requests", RenderTemplate(throttle_text, query));
}

}  // namespace whoisq::sim
