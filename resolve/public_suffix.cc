// libpsl wrapper: loads the list once and answers ICANN-section suffix queries.
#include "resolve/public_suffix.h"

#include <libpsl.h>

#include <memory>

namespace whoisq::resolve::internal {
namespace {

struct PslDeleter {
  void operator()(psl_ctx_t* ctx) const { psl_free(ctx); }  // no-op for the built-in list
};

struct Psl {
  std::unique_ptr<psl_ctx_t, PslDeleter> ctx;
  bool from_file = false;
};

const Psl& Instance() {
  static const Psl psl = [] {
    Psl p;
    // psl_load_file reads both the DAFSA and the text format; a missing or
    // unreadable file gives nullptr and we fall back to the compiled-in list.
    p.ctx.reset(psl_load_file(kPslDafsaPath));
    p.from_file = p.ctx != nullptr;
    if (!p.ctx) p.ctx.reset(const_cast<psl_ctx_t*>(psl_builtin()));
    return p;
  }();
  return psl;
}

}  // namespace

std::string_view IcannPublicSuffix(const std::string& host) {
  const psl_ctx_t* ctx = Instance().ctx.get();
  size_t pos = 0;
  // The first (longest) candidate that is a public suffix is the prevailing
  // rule's suffix; exception rules (!city.kawasaki.jp) make a candidate fail.
  while (ctx != nullptr && pos < host.size()) {
    if (psl_is_public_suffix2(ctx, host.c_str() + pos, PSL_TYPE_ICANN)) {
      return std::string_view(host).substr(pos);
    }
    size_t dot = host.find('.', pos);
    if (dot == std::string::npos) break;
    pos = dot + 1;
  }
  // No list at all: the implicit "*" rule, the last label.
  size_t dot = host.rfind('.');
  return dot == std::string::npos ? std::string_view(host) : std::string_view(host).substr(dot + 1);
}

std::string PslSource() {
  return Instance().from_file ? kPslDafsaPath : "libpsl built-in";
}

}  // namespace whoisq::resolve::internal
