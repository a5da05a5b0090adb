#include "tools/whois_sim/answer_book.h"

#include <algorithm>
#include <cctype>
#include <utility>

namespace whoisq::sim {
namespace {

char Lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }
char Upper(char c) { return static_cast<char>(std::toupper(static_cast<unsigned char>(c))); }
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

}  // namespace

Query ParseQuery(std::string_view line) {
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  Query query;
  query.line = std::string(line);
  size_t end = line.size();
  while (end > 0 && IsSpace(line[end - 1])) --end;
  size_t begin = end;
  while (begin > 0 && !IsSpace(line[begin - 1])) --begin;
  std::string_view name = line.substr(begin, end - begin);
  // Verisign-style exact-match prefix: "=example.com".
  if (!name.empty() && name.front() == '=') name.remove_prefix(1);
  query.name.reserve(name.size());
  for (char c : name) query.name.push_back(Lower(c));
  return query;
}

bool GlobMatch(std::string_view pattern, std::string_view text) {
  // Iterative wildcard match with single backtrack point: O(|p|*|t|) worst case.
  size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (p < pattern.size() && Lower(pattern[p]) == Lower(text[t])) {
      ++p;
      ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

std::string RenderTemplate(std::string_view text, const Query& query) {
  std::string upper = query.name;
  std::transform(upper.begin(), upper.end(), upper.begin(), Upper);
  std::string out;
  out.reserve(text.size() + 64);
  size_t i = 0;
  while (i < text.size()) {
    if (text.compare(i, 2, "{{") == 0) {
      if (text.compare(i, 9, "{{query}}") == 0) {
        out += query.name;
        i += 9;
        continue;
      }
      if (text.compare(i, 9, "{{QUERY}}") == 0) {
        out += upper;
        i += 9;
        continue;
      }
      if (text.compare(i, 8, "{{line}}") == 0) {
        out += query.line;
        i += 8;
        continue;
      }
    }
    out.push_back(text[i++]);
  }
  return out;
}

std::string ToCrlf(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 16);
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r')) out.push_back('\r');
    out.push_back(text[i]);
  }
  return out;
}

AnswerBook::AnswerBook(std::vector<AnswerRule> rules, std::string not_found)
    : rules_(std::move(rules)), not_found_(std::move(not_found)) {}

std::string AsWireText(std::string_view text) {
  std::string out = ToCrlf(text);
  if (!out.empty() && out.back() != '\n') out += "\r\n";
  return out;
}

const AnswerRule* AnswerBook::Find(const Query& query) const {
  for (const AnswerRule& rule : rules_) {
    if (GlobMatch(rule.match, rule.whole ? query.line : query.name)) return &rule;
  }
  return nullptr;
}

std::string AnswerBook::Answer(const Query& query) const {
  const AnswerRule* rule = Find(query);
  return AsWireText(RenderTemplate(rule ? rule->text : not_found_, query));
}

}  // namespace whoisq::sim
