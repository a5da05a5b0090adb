// libFuzzer target: any bytes, any server, must parse without a crash, a hang
// or an out-of-bounds read (built with -DWHOISQ_FUZZ=ON and clang). Inputs
// that look like JSON go to the RDAP mapping as well.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "schema/json.h"
#include "worker/parse/parser.h"
#include "worker/parse/rdap.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view raw(reinterpret_cast<const char*>(data), size);
  // The first byte picks a server row so that per-server paths are fuzzed too.
  static constexpr const char* kServers[] = {"", "whois.kg", "whois.ua", "whois.dot.tk",
                                             "whois.tcinet.ru", "whois.educause.edu"};
  const char* server = kServers[size == 0 ? 0 : data[0] % std::size(kServers)];
  whoisq::schema::Record record = whoisq::parse::Parse(raw, {server, "example.com"});
  (void)whoisq::schema::ToJson(record).dump();
  if (size > 0 && (data[0] == '{' || data[0] == '[' || data[0] % 4 == 0)) {
    static constexpr int kStatuses[] = {200, 404, 429, 500};
    auto rdap = whoisq::parse::ParseRdap(
        raw, {"rdap.example", "https://rdap.example/domain/example.com", kStatuses[size % 4]});
    if (rdap.ok()) (void)whoisq::schema::ToJson(rdap->record).dump();
  }
  return 0;
}
