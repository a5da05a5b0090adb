// rdap_client_bench [N]: N sequential GETs (default 300) of one RDAP domain
// answer from an in-process simulated server on 127.0.0.1, for HTTPS and HTTP,
// first over the client's keep-alive pool, then with a new connection per GET
// (a fresh client each time, created before the clock starts). Prints
// requests/s per case and the keep-alive / new-connection ratio. Loopback only;
// every GET has a 5 s deadline; asserts nothing.
#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <utility>  // must precede Boost 1.74 awaitable.hpp (std::exchange)

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include "tests/support/test_pki.h"
#include "tools/whois_sim/sim_config.h"
#include "tools/whois_sim/sim_server.h"
#include "worker/rdap_client.h"

namespace {

namespace asio = boost::asio;
using whoisq::worker::AddressBook;
using whoisq::worker::HttpAnswer;
using whoisq::worker::HttpRequest;
using whoisq::worker::RdapClient;
using whoisq::worker::TlsSettings;

// Runs `n` GETs of `url` one after another, each on clients[i % clients.size()];
// returns requests/s, or -1 if one failed.
double Run(asio::io_context& io, const std::vector<std::unique_ptr<RdapClient>>& clients, const std::string& url,
           int n) {
  HttpRequest request;
  request.url = url;
  request.timeout = std::chrono::seconds(5);
  bool failed = false;
  const auto started = std::chrono::steady_clock::now();
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        for (int i = 0; i < n && !failed; ++i) {
          HttpAnswer a = co_await clients[i % clients.size()]->Get(request);
          if (!a.status.ok() || a.http_status != 200) {
            std::fprintf(stderr, "rdap_client_bench: %s: %s (HTTP %d)\n", url.c_str(),
                         a.status.ToString().c_str(), a.http_status);
            failed = true;
          }
        }
      },
      asio::detached);
  io.restart();
  io.run();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return failed ? -1 : n / seconds;
}

}  // namespace

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::max(1, std::atoi(argv[1])) : 300;
  char tmpl[] = "/tmp/rdap_client_bench.XXXXXX";
  if (!mkdtemp(tmpl)) return 1;
  const std::string dir = tmpl;
  std::string error;
  whoisq::testing::TestPki pki;
  if (!whoisq::testing::MakeTestPki(dir, {"rdap.bench"}, &pki, &error)) {
    std::fprintf(stderr, "rdap_client_bench: %s\n", error.c_str());
    return 1;
  }
  const std::string answer =
      "[[server.answer]]\nmatch = \"*\"\n"
      "text = '{\"objectClassName\":\"domain\",\"ldhName\":\"{{query}}\"}'\n";
  const std::string toml = "[[server]]\nname = \"rdap.bench\"\nprotocol = \"rdap\"\ntls = true\ntls_cert = \"" +
                           pki.cert_file + "\"\ntls_key = \"" + pki.key_file + "\"\n" + answer +
                           "[[server]]\nname = \"plain.bench\"\nprotocol = \"rdap\"\n" + answer;
  auto config = whoisq::sim::ParseSimConfig(toml, dir, &error);
  auto sim = config ? whoisq::sim::SimServer::Create(*config, &error) : nullptr;
  if (!sim) {
    std::fprintf(stderr, "rdap_client_bench: %s\n", error.c_str());
    return 1;
  }
  std::map<std::string, std::string> entries;
  for (const auto& [host, port] : sim->ports()) entries[host] = "127.0.0.1:" + std::to_string(port);
  std::thread thread([&] { sim->Run(); });

  asio::io_context io;
  const AddressBook book(entries, /*strict=*/true);
  TlsSettings tls;
  tls.ca_file = pki.ca_cert_file;
  auto make_clients = [&](int count) {
    std::vector<std::unique_ptr<RdapClient>> clients;
    for (int i = 0; i < count; ++i) {
      auto client = RdapClient::Create(io.get_executor(), book, tls);
      if (!client.ok()) {
        std::fprintf(stderr, "rdap_client_bench: %s\n", client.status().ToString().c_str());
        std::exit(1);
      }
      clients.push_back(std::move(*client));
    }
    return clients;
  };
  std::printf("rdap_client_bench: %d sequential GETs per case, loopback, sim on its own thread\n", n);
  for (const char* url : {"https://rdap.bench/domain/example.com", "http://plain.bench/domain/example.com"}) {
    auto pooled = make_clients(1);
    const double keep_alive = Run(io, pooled, url, n);
    auto fresh = make_clients(n);
    const double new_connections = Run(io, fresh, url, n);
    std::printf("%-40s keep-alive %8.0f req/s   new connection %8.0f req/s   ratio %.1fx\n", url, keep_alive,
                new_connections, keep_alive / new_connections);
  }
  sim->Stop();
  thread.join();
  std::filesystem::remove_all(dir);
  return 0;
}
