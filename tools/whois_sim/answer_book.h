// What a simulated WHOIS server answers: the query line parsed into its name
// token, the configured answer rules (glob match, first match wins) and the
// {{query}} / {{QUERY}} / {{line}} templates.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace whoisq::sim {

// One query line as the server sees it.
struct Query {
  std::string line;  // the line without its CR/LF
  std::string name;  // last whitespace-separated token, lowercased, one leading '=' dropped
};

// Splits a received line (CR/LF already removed or not) into line and name.
Query ParseQuery(std::string_view line);

// Case-insensitive match of `text` against `pattern`, where '*' matches any
// run of characters (also empty) and every other character matches itself.
bool GlobMatch(std::string_view pattern, std::string_view text);

// Replaces {{query}} (name, lowercase), {{QUERY}} (name, uppercase) and
// {{line}} (whole line) in `text`.
std::string RenderTemplate(std::string_view text, const Query& query);

// Turns every bare LF into CRLF; CRLF pairs stay as they are.
std::string ToCrlf(std::string_view text);

// ToCrlf() plus a final CRLF when non-empty `text` does not end a line.
std::string AsWireText(std::string_view text);

struct AnswerRule {
  std::string match;   // exact or glob with '*', case-insensitive
  bool whole = false;  // match against the whole line instead of the name
  std::string text;    // answer template (file contents already loaded)
  // RDAP only.
  int status = 200;                                   // HTTP status of the answer
  std::string redirect;                               // Location template; set = a 3xx, no body
  std::string content_type = "application/rdap+json";
};

// The answers of one server. Immutable after construction; safe to share
// between threads.
class AnswerBook {
 public:
  AnswerBook(std::vector<AnswerRule> rules, std::string not_found);

  // Returns the rendered answer (AsWireText) for `query`: the first
  // matching rule, else the not-found template.
  std::string Answer(const Query& query) const;

  // Returns the first rule matching `query`, or nullptr; the pointer lives
  // as long as this book.
  const AnswerRule* Find(const Query& query) const;

  const std::string& not_found() const { return not_found_; }

 private:
  std::vector<AnswerRule> rules_;
  std::string not_found_;
};

}  // namespace whoisq::sim
