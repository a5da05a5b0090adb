// rdap_bootstrap_bench [SECONDS]: normalizes a fixed mix of crawler inputs
// once (domains under IANA, extra-table and special-zone suffixes, names
// without RDAP, IPv4/IPv6 addresses and networks, AS numbers), then calls
// RdapBootstrap::BaseUrl and QueryUrl on them in a loop on one thread for
// about SECONDS (default 2) and prints lookups/s for each. Also prints the
// one-time cost of Builtin() (time, and heap kept, by glibc's mallinfo2).
// Prints figures, asserts nothing.
#include <malloc.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "resolve/query.h"
#include "resolve/rdap_bootstrap.h"

namespace {

using whoisq::resolve::Query;
using whoisq::resolve::RdapBootstrap;
using Clock = std::chrono::steady_clock;

constexpr const char* kInputs[] = {
    "example.com", "www.google.com", "example.net", "example.org", "shop.example.app",
    "example.co.uk", "a.b.example.co.uk", "bücher.de", "example.ch", "example.io",
    "example.fr", "example.br.com", "example.jp", "example.xn--kpry57d", "example.info",
    "example.er", "1.1.1.1", "8.8.8.8", "193.0.0.1", "41.1.2.3", "10.0.0.1", "41.0.0.0/8",
    "2001:4860:4860::8888", "2a00:1450:4001::1", "2001:67c:2e8::/48", "fe80::1",
    "AS13335", "AS3333", "AS262144", "AS4200000000",
};

// Calls `f` over all queries until `seconds` pass; prints calls per second.
template <typename F>
void Rate(const char* name, const std::vector<Query>& queries, double seconds, F f) {
  size_t calls = 0, found = 0;
  const Clock::time_point start = Clock::now();
  double elapsed = 0;
  while (elapsed < seconds) {
    for (const Query& q : queries) found += f(q).has_value();
    calls += queries.size();
    elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  }
  std::printf("%-9s %.0f lookups/s (%zu-query mix, %zu of %zu calls answered)\n", name,
              static_cast<double>(calls) / elapsed, queries.size(), found, calls);
}

}  // namespace

int main(int argc, char** argv) {
  const double seconds = argc > 1 ? std::atof(argv[1]) : 2.0;
  std::vector<Query> queries;
  for (const char* input : kInputs) {
    auto q = whoisq::resolve::Normalize(input);
    if (!q.ok()) {
      std::fprintf(stderr, "%s\n", q.status().ToString().c_str());
      return 1;
    }
    queries.push_back(*q);
  }
  const size_t heap_before = mallinfo2().uordblks;
  const Clock::time_point t0 = Clock::now();
  const RdapBootstrap bootstrap = RdapBootstrap::Builtin();
  const double build_ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
  const size_t heap_kept = mallinfo2().uordblks - heap_before;
  std::printf("Builtin(): %.1f ms, %.0f KiB heap kept (first call: parses the embedded JSON), %zu DNS labels\n",
              build_ms, static_cast<double>(heap_kept) / 1024, bootstrap.DnsEntries());
  Rate("BaseUrl:", queries, seconds, [&](const Query& q) { return bootstrap.BaseUrl(q); });
  Rate("QueryUrl:", queries, seconds, [&](const Query& q) { return bootstrap.QueryUrl(q); });
  return 0;
}
