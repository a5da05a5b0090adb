#include "worker/parse/parser.h"
#include "schema/ascii.h"

#include <exception>

#include "worker/parse/answer_classifier.h"
#include "worker/parse/layout_parser.h"
#include "worker/parse/line_scanner.h"
#include "worker/parse/network_parser.h"
#include "worker/parse/record_builder.h"
#include "worker/parse/server_rules.h"
#include "worker/parse/text_decoder.h"

namespace whoisq::parse {
namespace {

// Longest disclaimer kept (bytes); the full text stays in rawdata.
constexpr size_t kMaxDisclaimer = 4096;

bool StatusMeansFree(const schema::Domain& d) {
  for (const std::string& s : d.status) {
    if (IsAvailableStatus(schema::AsciiLower(s))) return true;
  }
  return false;
}

// The leading comment block, without its comment marks.
std::string Disclaimer(const std::vector<WhoisLine>& lines) {
  std::string out;
  for (const WhoisLine& l : lines) {
    if (l.blank) continue;
    if (!l.comment) {
      if (!out.empty()) break;
      continue;
    }
    std::string_view t = l.text;
    while (!t.empty() && (t[0] == '%' || t[0] == '#' || t[0] == ';')) t.remove_prefix(1);
    t = Trim(t);
    // "# whois.example.net": a client's marker between answers, not text.
    if (t.empty() || (t.starts_with("whois.") && t.find(' ') == std::string_view::npos)) continue;
    if (out.size() + t.size() + 1 > kMaxDisclaimer) break;
    if (!out.empty()) out.push_back(' ');
    out.append(t);
  }
  return out;
}

// An answer whose first line is only "Available" / "Not found" (CoCCA-style
// short answers) names a free domain.
bool FirstLineSaysFree(const std::vector<WhoisLine>& lines) {
  for (const WhoisLine& l : lines) {
    if (l.blank || l.comment) continue;
    std::string t = schema::AsciiLower(l.text);
    while (!t.empty() && (t.back() == '.' || t.back() == '!')) t.pop_back();
    return t == "available" || t == "free" || t == "not found" || t == "no match" ||
           t == "no data found" || t == "not registered" || t == "domain not found" ||
           t == "no entries found" || t == "no match found";
  }
  return false;
}

void Decide(schema::Record& record, AnswerKind kind, const RecordBuilder& builder,
            std::string_view text, const ParseOptions& options) {
  schema::RegrInfo& g = record.regrinfo;
  const schema::Domain& d = g.domain;
  const bool strong = builder.HasNameservers() || builder.HasDates();
  const bool some = strong || !d.sponsor.empty() || !d.status.empty() || !g.owner.empty() ||
                    !d.name.empty();
  if (kind == AnswerKind::kThrottled) {
    record.throttled = true;
    g.registered = strong ? "yes" : "unknown";
  } else if (kind == AnswerKind::kReserved) {
    g.registered = "yes";
  } else if (StatusMeansFree(d)) {
    g.registered = "no";
  } else if (kind == AnswerKind::kNotFound && !strong) {
    g.registered = "no";
  } else if (some) {
    g.registered = "yes";
  }
  // The name asked for, when the answer repeats it but gave no "Domain:" line.
  if (g.domain.name.empty() && !options.query.empty() && options.query.size() < 256) {
    std::string q = schema::AsciiLower(options.query);
    while (!q.empty() && q.back() == '.') q.pop_back();
    if (!q.empty() && schema::AsciiLower(text).find(q) != std::string::npos) g.domain.name = q;
  }
}

// Clients that follow referrals often keep the IANA answer ("% IANA WHOIS
// server" ... "source: IANA") in front of the registry's. It describes the
// TLD, not the domain: returns the index of the first line after it (0 when
// there is none).
size_t SkipIanaPreamble(const std::vector<WhoisLine>& lines) {
  size_t i = 0;
  while (i < lines.size() && lines[i].blank) ++i;
  if (i >= lines.size() || !lines[i].comment || lines[i].text.find("IANA WHOIS") == std::string_view::npos) {
    return 0;
  }
  for (size_t k = i; k < lines.size(); ++k) {
    if (lines[k].key == "source" && lines[k].value == "IANA") return k + 1;
  }
  return 0;
}

schema::Record ParseImpl(std::string_view raw, const ParseOptions& options) {
  schema::Record record;
  const ServerRule& rule = FindServerRule(options.server);
  // Valid UTF-8 without NULs (the usual case) is read in place.
  std::string decoded;
  std::string_view text = raw;
  if (!IsValidUtf8(raw) || raw.find('\0') != std::string_view::npos) {
    decoded = DecodeToUtf8(raw, rule.charset);
    text = decoded;
  }
  std::vector<std::string_view> views = SplitLineViews(text);
  std::string key_arena;
  std::vector<WhoisLine> lines = ScanLines(views, key_arena);
  record.rawdata.reserve(views.size());
  for (std::string_view v : views) record.rawdata.emplace_back(v);

  if (size_t skip = SkipIanaPreamble(lines); skip > 0) {
    lines.erase(lines.begin(), lines.begin() + static_cast<std::ptrdiff_t>(skip));
    if (skip < views.size()) text = text.substr(static_cast<size_t>(views[skip].data() - text.data()));
  }

  RecordBuilder builder(record.regrinfo, rule);
  LayoutParser layout(lines, rule, builder);
  layout.Run();
  builder.Finish();
  // IP and AS answers: the object is the network, not a domain.
  if (record.regrinfo.domain.name.empty() && NetworkParser(lines).Run(record.regrinfo)) {
    if (record.regrinfo.domain.name.empty()) record.regrinfo.domain = schema::Domain{};
    record.regrinfo.registered = "yes";
    record.regrinfo.disclaimer = Disclaimer(lines);
    return record;
  }
  // An answer with registration data (dates or name servers) is registered
  // whatever its disclaimer says; only the others need the phrase scan.
  AnswerKind kind = AnswerKind::kData;
  if (!builder.HasNameservers() && !builder.HasDates()) {
    kind = ClassifyAnswer(text, rule);
    if (kind == AnswerKind::kData && FirstLineSaysFree(lines)) kind = AnswerKind::kNotFound;
  }
  record.regrinfo.disclaimer = Disclaimer(lines);
  Decide(record, kind, builder, text, options);
  return record;
}

}  // namespace

schema::Record Parse(std::string_view raw, const ParseOptions& options) {
  try {
    return ParseImpl(raw, options);
  } catch (const std::exception&) {
    // Only allocation failure can get here; an empty record is the contract.
    schema::Record record;
    return record;
  }
}

}  // namespace whoisq::parse
