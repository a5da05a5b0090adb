#include "worker/parse/answer_classifier.h"

#include <array>
#include <cstdint>
#include <cstring>
#include <vector>

namespace whoisq::parse {
namespace {

// Rate-limit and refusal texts (shared/data/throttle-messages.txt, weppos
// response_throttled?, likexian isLimitExceeded), lower case.
constexpr std::string_view kThrottlePhrases[] = {
    "too many requests",
    "too many connections",
    "too many connection attempts",
    "excessive querying, grace period",
    "maximum queries per hour",
    "request limit exceeded",
    "whois limit exceeded",
    "limit exceeded for",
    "quota exceeded",
    "exceeded your quota",
    "quota of queries",
    "query quota for",
    "has exceeded its quota",
    "connection limit exceeded",
    "query rate limit exceeded",
    "rate limit exceeded",
    "still in grace period",
    "please go away for",
    "access control limit reached",
    "only 1 request per second",
    "whois-limit exceeded",
    "ip address blocked",
    "%error:201: access denied",
    "%error:306: connections exceeded",
    "exceeded allowed connection rate",
    "440 request denied",
    "requests of this client are not permitted",
    "blacklisted: you have exceeded",
    "you have exceeded this limit",
    "you exceeded the maximum",
    "daily connection limit reached",
    "exceeded maximum connection limit",
    "please try your request again after",
    "look up quota exceeded",
    "lookup quota exceeded",
    "looup quota exceeded",
    "query limitation is",
    "will be replenished in",
    "not allowed to act as a proxy",
    "you are not allowed to connect",
    "is on the opensrs block-list",
    "list of ip addresses that may have failed",
};

// "No such domain" texts, lower case. A name is not found only when the
// answer also lacks registration data (the caller checks).
constexpr std::string_view kNotFoundPhrases[] = {
    "no match",
    "not found",
    "no entries found",
    "no entry found",
    "no data found",
    "no data was found",
    "no matching record",
    "no matching domain",
    "is not registered",
    "not registered",
    "no information available",
    "does not exist",
    "no records matching",
    "no records found",
    "no record found",
    "no object found",
    "object_not_found",
    "nothing found",
    "no domain records were found",
    "has not been registered",
    "not available in our whois database",
    "not known in",
    "we do not have an entry",
    "available for purchase",
    "available for registration",
    "data not found",
    "no found",
    "no such domain",
    "no results were found",
    "could not find the requested domain",
    "220 available",
    "is free",
    "domain is available",
    "not exist",
    "status: available",
    "status:\tavailable",
    "status: free",
    "status:\tfree",
    "등록되어 있지 않습니다",
    "no se encuentra registrado",
    "no se encontr",
    "el dominio no existe",
    "nincs tal",
    "nicht gefunden",
    "n'existe pas",
    "não encontrado",
    "nao encontrado",
    "not been registered",
    "no such object",
    "no matching objects",
    "no entries",
    "domain name not known",
    "object not found",
    "queried object does not exist",
};

// Answers that mention a limit but still carry the data (registro.br's
// "Query rate limit exceeded. Reduced information."): not refusals.
constexpr std::string_view kReducedOutputPhrases[] = {"reduced information"};

// Texts meaning the name cannot be registered: reserved or restricted names
// count as registered (not available), as the reference parsers do.
constexpr std::string_view kReservedPhrases[] = {
    "restricted from registration", "name is reserved", "domain is reserved", "reserved name",
    "reserved domain", "this domain is reserved", "status: reserved", "prohibited string"};

bool Contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

// ASCII case folding table (other bytes unchanged).
constexpr std::array<unsigned char, 256> MakeFold() {
  std::array<unsigned char, 256> fold{};
  for (int c = 0; c < 256; ++c) {
    fold[c] = static_cast<unsigned char>((c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c);
  }
  return fold;
}
constexpr std::array<unsigned char, 256> kFold = MakeFold();

constexpr std::array<bool, 256> MakeWordBytes() {
  std::array<bool, 256> word{};
  for (int c = 0; c < 256; ++c) {
    word[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }
  return word;
}
constexpr std::array<bool, 256> kWordByte = MakeWordBytes();

enum PhraseKind : uint8_t { kThrottle = 1, kReduced = 2, kReserved = 4, kNotFound = 8 };

// All generic phrases in one index keyed by their first two bytes, so that a
// single pass over the text finds every phrase (instead of one find() per
// phrase: the answer is read once however long the lists grow).
class PhraseIndex {
 public:
  PhraseIndex() {
    Add(kThrottlePhrases, kThrottle);
    Add(kReducedOutputPhrases, kReduced);
    Add(kReservedPhrases, kReserved);
    Add(kNotFoundPhrases, kNotFound);
  }

  // Bitwise OR of the kinds of every phrase found in `text`, ignoring ASCII case.
  uint8_t Scan(std::string_view text) const {
    uint8_t found = 0;
    const size_t n = text.size();
    const unsigned char* t = reinterpret_cast<const unsigned char*>(text.data());
    size_t i = 0;
    while (i + 3 < n) {
      // Phrases start words: look only at word starts, then skip the word.
      const size_t at = i;
      const unsigned char c = t[i];
      ++i;
      if (kWordByte[c]) {
        while (i < n && kWordByte[t[i]]) ++i;
      }
      if (!start_[c]) continue;
      const unsigned a = kFold[t[at]];
      const unsigned b = kFold[t[at + 1]];
      const uint16_t bucket = heads_[a * 256 + b];
      if (bucket == 0) continue;
      const size_t left = n - at;
      const uint32_t head = a | (b << 8) | (kFold[t[at + 2]] << 16) |
                            (static_cast<uint32_t>(kFold[t[at + 3]]) << 24);
      for (const Entry& e : buckets_[bucket - 1]) {
        if ((found & e.kind) != 0 || e.phrase.size() > left || head != e.head) continue;
        size_t k = 4;
        while (k < e.phrase.size() &&
               kFold[t[at + k]] == static_cast<unsigned char>(e.phrase[k])) {
          ++k;
        }
        if (k == e.phrase.size()) found |= e.kind;
      }
    }
    return found;
  }

 private:
  struct Entry {
    std::string_view phrase;
    uint32_t head;  // the phrase's first four bytes
    uint8_t kind;
  };
  template <size_t N>
  void Add(const std::string_view (&phrases)[N], uint8_t kind) {
    for (std::string_view p : phrases) {
      if (p.size() < 4) continue;
      const unsigned key = static_cast<unsigned char>(p[0]) * 256 + static_cast<unsigned char>(p[1]);
      if (heads_[key] == 0) {
        buckets_.emplace_back();
        heads_[key] = static_cast<uint16_t>(buckets_.size());
      }
      const auto u = [&](size_t k) { return static_cast<uint32_t>(static_cast<unsigned char>(p[k])); };
      const uint32_t head = u(0) | (u(1) << 8) | (u(2) << 16) | (u(3) << 24);
      buckets_[heads_[key] - 1].push_back({p, head, kind});
      const unsigned char f = static_cast<unsigned char>(p[0]);
      start_[f] = true;
      if (f >= 'a' && f <= 'z') start_[f - 'a' + 'A'] = true;
    }
  }
  std::array<bool, 256> start_{};        // first bytes (either case) of any phrase
  std::array<uint16_t, 65536> heads_{};  // bigram -> 1 + bucket index, 0 = none
  std::vector<std::vector<Entry>> buckets_;
};

}  // namespace

AnswerKind ClassifyAnswer(std::string_view text, const ServerRule& rule) {
  static const PhraseIndex index;
  const uint8_t found = index.Scan(text);
  // Per-server phrases are few; they are matched on a lower-cased copy only
  // when the server has any.
  std::string lower;
  if (!rule.throttled.empty() || !rule.registered.empty() || !rule.not_found.empty()) {
    lower.assign(text);
    for (char& c : lower) c = static_cast<char>(kFold[static_cast<unsigned char>(c)]);
  }
  std::string_view lower_text = lower;
  const bool reduced = (found & kReduced) != 0;
  if ((found & kThrottle) && !reduced) return AnswerKind::kThrottled;
  for (std::string_view p : rule.throttled) {
    if (Contains(lower_text, p)) return AnswerKind::kThrottled;
  }
  for (std::string_view p : rule.registered) {
    if (Contains(lower_text, p)) return AnswerKind::kData;
  }
  if (found & kReserved) return AnswerKind::kReserved;
  for (std::string_view p : rule.not_found) {
    if (Contains(lower_text, p)) return AnswerKind::kNotFound;
  }
  if (found & kNotFound) return AnswerKind::kNotFound;
  return AnswerKind::kData;
}

bool IsAvailableStatus(std::string_view v) {
  static constexpr std::string_view kFree[] = {
      "available", "free", "no object found", "not registered", "not found",
      "220 available", "no match", "unassigned"};
  for (std::string_view f : kFree) {
    if (v.starts_with(f)) return true;
  }
  return false;
}

}  // namespace whoisq::parse
