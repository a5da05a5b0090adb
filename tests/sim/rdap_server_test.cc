// Simulated RDAP servers in-process on loopback, over HTTP and HTTPS, driven
// by a Beast client that checks the certificate against a generated CA.
#include <zlib.h>

#include <unistd.h>

#include <filesystem>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/sim/http_test_client.h"
#include "tests/sim/sim_test_util.h"
#include "tests/support/test_pki.h"

namespace whoisq::sim {
namespace {

using std::chrono::milliseconds;
using testing::HttpClient;
using testing::HttpClientOptions;
using testing::HttpResponse;
using testing::RunningSim;
namespace fs = std::filesystem;
namespace http = boost::beast::http;

constexpr const char* kName = "rdap.test";

std::string Gunzip(const std::string& data) {
  z_stream zs{};
  if (inflateInit2(&zs, 15 + 16) != Z_OK) return "inflateInit2 failed";
  std::string out(64 * 1024, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  const int rc = inflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  inflateEnd(&zs);
  return rc == Z_STREAM_END ? out : "inflate failed";
}

// Certificates shared by every test: one CA the client trusts, a leaf for
// rdap.test it signed, and a self-signed leaf and an expired one.
struct Pki {
  fs::path dir;
  whoisq::testing::TestPki trusted, self_signed, expired;
  std::string error;
};

Pki* MakePki() {
  auto* pki = new Pki;
  pki->dir = fs::temp_directory_path() / ("rdap_server_test_" + std::to_string(::getpid()));
  const std::string dir = pki->dir.string();
  if (whoisq::testing::MakeTestPki(dir + "/trusted", {kName, "alias.test"}, &pki->trusted,
                                   &pki->error) &&
      whoisq::testing::MakeSelfSignedTestPki(dir + "/self", {kName}, &pki->self_signed,
                                             &pki->error)) {
    whoisq::testing::MakeTestPki(dir + "/expired", {kName}, &pki->expired, &pki->error, true);
  }
  return pki;
}

// One HTTPS server rdap.test with `pki`'s certificate as its own.
std::string TlsServerToml(const whoisq::testing::TestPki& pki) {
  return "[[server]]\nname = \"" + std::string(kName) + "\"\nprotocol = \"rdap\"\ntls = true\n" +
         "tls_cert = \"" + pki.cert_file + "\"\ntls_key = \"" + pki.key_file + "\"\n";
}

HttpClientOptions TlsOptions(const std::string& ca_file, const std::string& sni,
                             const std::string& verify_name = "") {
  HttpClientOptions options;
  options.tls = true;
  options.ca_file = ca_file;
  options.sni = sni;
  options.verify_name = verify_name;
  return options;
}

// Polls the stats of rdap.test until `key` reaches `value` (the server counts
// some things after the client has seen their effect).
bool CounterReaches(const RunningSim& sim, const std::string& key, int value) {
  for (int i = 0; i < 300; ++i) {
    if (sim.Stats(kName)[key] == value) return true;
    std::this_thread::sleep_for(milliseconds(10));
  }
  return false;
}

class RdapServerTest : public ::testing::TestWithParam<bool> {
 protected:
  static void SetUpTestSuite() { pki_ = MakePki(); }
  static void TearDownTestSuite() {
    std::error_code ec;
    fs::remove_all(pki_->dir, ec);
    delete pki_;
    pki_ = nullptr;
  }
  void SetUp() override { ASSERT_TRUE(pki_->error.empty()) << pki_->error; }

  bool tls() const { return GetParam(); }

  // Starts a sim with one RDAP server named rdap.test: `keys` go into its
  // [[server]] table, `answers` after it ([[server.answer]] tables), `sim`
  // into [sim].
  void Start(const std::string& keys, const std::string& answers = "",
             const std::string& sim = "") {
    std::string toml = "[sim]\n" + sim;
    if (tls()) {
      toml += "tls_cert = \"" + pki_->trusted.cert_file + "\"\ntls_key = \"" +
              pki_->trusted.key_file + "\"\n";
    }
    toml += "[[server]]\nname = \"" + std::string(kName) + "\"\nprotocol = \"rdap\"\n";
    if (tls()) toml += "tls = true\n";
    toml += keys + answers;
    sim_ = std::make_unique<RunningSim>(toml);
    ASSERT_TRUE(sim_->ok());
  }

  HttpClientOptions Options() const {
    return tls() ? TlsOptions(pki_->trusted.ca_cert_file, kName) : HttpClientOptions{};
  }

  // A connected client (TLS handshake done).
  std::unique_ptr<HttpClient> Connect(HttpClientOptions options) {
    auto client = std::make_unique<HttpClient>(sim_->port(kName), std::move(options));
    const auto ec = client->Connect();
    EXPECT_FALSE(ec) << ec.message();
    return client;
  }
  std::unique_ptr<HttpClient> Connect() { return Connect(Options()); }

  static std::optional<HttpResponse> Get(HttpClient& client, const std::string& target,
                                         std::vector<std::pair<http::field, std::string>> headers = {}) {
    return client.Ask(HttpClient::MakeRequest(target, kName, std::move(headers)));
  }

  nlohmann::json Stats() const { return sim_->Stats(kName); }

  bool StatReaches(const std::string& key, int value) const {
    return CounterReaches(*sim_, key, value);
  }

  static Pki* pki_;
  std::unique_ptr<RunningSim> sim_;
};
Pki* RdapServerTest::pki_ = nullptr;

const std::string kAnswers = R"(
  [[server.answer]]
  match = "*.com"
  text = '{"objectClassName":"domain","ldhName":"{{QUERY}}","handle":"{{query}}","path":"{{line}}"}'
  [[server.answer]]
  match = "*.net"
  redirect = "https://rdap.registrar.test/domain/{{query}}"
  [[server.answer]]
  match = "/help"
  whole = true
  status = 200
  content_type = "text/plain"
  text = "help\n"
  [[server.answer]]
  match = "gone.org"
  status = 410
  text = '{"errorCode":410}'
)";

TEST_P(RdapServerTest, AnswersWithTemplatesRedirectsAndNotFound) {
  Start("", kAnswers);
  auto client = Connect();
  auto res = Get(*client, "/rdap/domain/Example.COM?x=1");
  ASSERT_TRUE(res) << client->error().message();
  EXPECT_EQ(res->result_int(), 200u);
  EXPECT_EQ((*res)[http::field::content_type], "application/rdap+json");
  EXPECT_EQ(res->body(),
            R"({"objectClassName":"domain","ldhName":"EXAMPLE.COM","handle":"example.com",)"
            R"("path":"/rdap/domain/Example.COM"})");
  EXPECT_EQ((*res)[http::field::content_length], std::to_string(res->body().size()));

  res = Get(*client, "/domain/x%2Enet");  // percent-decoded name token
  ASSERT_TRUE(res);
  EXPECT_EQ(res->result_int(), 302u);
  EXPECT_EQ((*res)[http::field::location], "https://rdap.registrar.test/domain/x.net");
  EXPECT_EQ(res->body(), "");

  res = Get(*client, "/domain/nothing.org");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->result_int(), 404u);
  EXPECT_EQ(res->body(),
            R"({"errorCode":404,"title":"Not Found","description":["No match for \"nothing.org\""]})");

  res = Get(*client, "/help");
  ASSERT_TRUE(res);
  EXPECT_EQ((*res)[http::field::content_type], "text/plain");
  EXPECT_EQ(res->body(), "help\n");  // verbatim: no CRLF added

  res = Get(*client, "/domain/gone.org");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->result_int(), 410u);

  res = client->Ask(HttpClient::MakeRequest("/domain/a.com", kName, {}, http::verb::head));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->result_int(), 200u);
  EXPECT_NE((*res)[http::field::content_length], "0");

  const auto stats = Stats();
  EXPECT_EQ(stats["protocol"], "rdap");
  EXPECT_EQ(stats["tls"], tls());
  EXPECT_EQ(stats["connections"], 1);
  EXPECT_EQ(stats["queries"], 6);
  EXPECT_EQ(stats["served"], 6);
  EXPECT_EQ(stats["queries_by_name"]["example.com"], 1);
  EXPECT_EQ(stats["queries_by_name"]["x.net"], 1);
  EXPECT_EQ(stats["queries_by_name"]["help"], 1);
  EXPECT_EQ(stats["statuses"], nlohmann::json({{"200", 3}, {"302", 1}, {"404", 1}, {"410", 1}}));
  if (tls()) {
    EXPECT_EQ(stats["sni"][kName], 1);
    EXPECT_EQ(stats["bad_sni"], 0);
  }
}

TEST_P(RdapServerTest, NotFoundTemplateKeeps404) {
  Start("not_found = '{\"errorCode\":404,\"title\":\"{{query}} unknown\"}'\n");
  auto client = Connect();
  auto res = Get(*client, "/domain/A.ORG");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->result_int(), 404u);
  EXPECT_EQ(res->body(), R"({"errorCode":404,"title":"a.org unknown"})");
}

TEST_P(RdapServerTest, KeepAliveServesManyRequestsOnOneConnection) {
  Start("", kAnswers);
  auto client = Connect();
  for (int i = 0; i < 20; ++i) {
    auto res = Get(*client, "/domain/n" + std::to_string(i) + ".com");
    ASSERT_TRUE(res) << i << ": " << client->error().message();
    EXPECT_EQ(res->result_int(), 200u);
    EXPECT_TRUE(res->keep_alive());
  }
  auto stats = Stats();
  EXPECT_EQ(stats["connections"], 1);
  EXPECT_EQ(stats["open_connections"], 1);
  EXPECT_EQ(stats["queries"], 20);
  EXPECT_EQ(stats["open"], 0);
  EXPECT_EQ(stats["max_concurrent_seen"], 1);
  client->Close();
  EXPECT_TRUE(StatReaches("open_connections", 0));
}

TEST_P(RdapServerTest, ConnectionCloseIsHonoured) {
  Start("", kAnswers);
  auto client = Connect();
  auto res = Get(*client, "/domain/a.com", {{http::field::connection, "close"}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->result_int(), 200u);
  EXPECT_FALSE(res->keep_alive());
  EXPECT_TRUE(client->ServerCloses());
  // The server half-closed and waits for the client's end (lingering close).
  EXPECT_EQ(Stats()["open_connections"], 1);
  client->Close();
  EXPECT_TRUE(StatReaches("open_connections", 0));
}

TEST_P(RdapServerTest, RateBreachGets429WithRetryAfterCountedExactly) {
  // 1/s, burst 2: two back-to-back requests conform, the next ones are early.
  Start("per_second = 1\nburst = 2\nretry_after_s = 2\nthrottle_text = \"slow down on {{query}}\"\n",
        kAnswers);
  auto client = Connect();
  for (int i = 0; i < 2; ++i) {
    auto res = Get(*client, "/domain/a.com");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->result_int(), 200u) << i;
  }
  for (int i = 0; i < 3; ++i) {
    auto res = Get(*client, "/domain/b.com");
    ASSERT_TRUE(res) << i;
    EXPECT_EQ(res->result_int(), 429u);
    EXPECT_EQ((*res)[http::field::retry_after], "2");
    EXPECT_EQ(res->body(),
              R"({"errorCode":429,"title":"Too Many Requests","description":["slow down on b.com"]})");
    EXPECT_TRUE(res->keep_alive());
  }
  auto stats = Stats();
  EXPECT_EQ(stats["queries"], 5);
  EXPECT_EQ(stats["served"], 2);
  EXPECT_EQ(stats["breaches_rate"], 3);
  EXPECT_EQ(stats["breaches_concurrency"], 0);
  EXPECT_EQ(stats["breaches_daily"], 0);
  EXPECT_EQ(stats["statuses"]["429"], 3);
  EXPECT_EQ(stats["connections"], 1);
}

TEST_P(RdapServerTest, NoRetryAfterByDefault) {
  Start("daily = 1\n");
  auto client = Connect();
  ASSERT_EQ(Get(*client, "/domain/a.com")->result_int(), 404u);
  auto res = Get(*client, "/domain/b.com");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->result_int(), 429u);
  EXPECT_EQ(res->count(http::field::retry_after), 0u);
  EXPECT_EQ(res->body(), R"({"errorCode":429,"title":"Too Many Requests",)"
                         R"("description":["Rate limit exceeded; slow down"]})");
  const auto stats = Stats();
  EXPECT_EQ(stats["breaches_daily"], 1);
  EXPECT_EQ(stats["served_today"], 1);
}

TEST_P(RdapServerTest, ConcurrencyCountsRequestsAcrossConnections) {
  Start("concurrency = 1\ndelay_ms = 400\n", kAnswers);
  auto first = Connect();
  auto second = Connect();
  ASSERT_FALSE(first->Send(HttpClient::MakeRequest("/domain/one.com", kName)));
  ASSERT_TRUE(StatReaches("queries", 1));
  auto res = Get(*second, "/domain/two.com");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->result_int(), 429u);
  res = first->Read();
  ASSERT_TRUE(res);
  EXPECT_EQ(res->result_int(), 200u);
  // The slot ends with the response: the same connection is served next.
  res = Get(*second, "/domain/three.com");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->result_int(), 200u);
  const auto stats = Stats();
  EXPECT_EQ(stats["breaches_concurrency"], 1);
  EXPECT_EQ(stats["served"], 2);
  EXPECT_EQ(stats["max_concurrent_seen"], 1);
  EXPECT_EQ(stats["open"], 0);
  EXPECT_EQ(stats["connections"], 2);
}

TEST_P(RdapServerTest, HostMustNameTheServer) {
  Start("", kAnswers);
  auto client = Connect();
  auto res = client->Ask(HttpClient::MakeRequest("/domain/a.com", "127.0.0.1"));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->result_int(), 400u);
  res = client->Ask(HttpClient::MakeRequest("/domain/a.com", "other.test:443"));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->result_int(), 400u);
  res = client->Ask(HttpClient::MakeRequest("/domain/a.com", "RDAP.test:8443"));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->result_int(), 200u);
  const auto stats = Stats();
  EXPECT_EQ(stats["bad_host"], 2);
  EXPECT_EQ(stats["queries"], 1);
  EXPECT_EQ(stats["statuses"]["400"], 2);
}

TEST_P(RdapServerTest, GzipWhenTheClientAcceptsIt) {
  Start("gzip = true\n", kAnswers);
  auto client = Connect();
  auto res = Get(*client, "/domain/a.com", {{http::field::accept_encoding, "br, gzip;q=0.8"}});
  ASSERT_TRUE(res);
  EXPECT_EQ((*res)[http::field::content_encoding], "gzip");
  EXPECT_EQ(Gunzip(res->body()),
            R"({"objectClassName":"domain","ldhName":"A.COM","handle":"a.com","path":"/domain/a.com"})");
  res = Get(*client, "/domain/a.com");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->count(http::field::content_encoding), 0u);
  EXPECT_EQ(res->body().front(), '{');
  res = Get(*client, "/domain/a.com", {{http::field::accept_encoding, "gzip;q=0"}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->count(http::field::content_encoding), 0u);
}

TEST_P(RdapServerTest, NoGzipUnlessConfigured) {
  Start("", kAnswers);
  auto client = Connect();
  auto res = Get(*client, "/domain/a.com", {{http::field::accept_encoding, "gzip"}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->count(http::field::content_encoding), 0u);
}

TEST_P(RdapServerTest, OnlyGetAndHead) {
  Start("", kAnswers);
  auto client = Connect();
  auto res = client->Ask(HttpClient::MakeRequest("/domain/a.com", kName, {}, http::verb::post));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->result_int(), 405u);
  EXPECT_EQ((*res)[http::field::allow], "GET, HEAD");
  res = Get(*client, "/domain/a.com");  // the connection stays usable
  ASSERT_TRUE(res);
  EXPECT_EQ(res->result_int(), 200u);
  const auto stats = Stats();
  EXPECT_EQ(stats["bad_requests"], 1);
  EXPECT_EQ(stats["queries"], 1);
}

TEST_P(RdapServerTest, OversizedHeadGets431AndClose) {
  Start("", kAnswers, "max_request_head = 1024\n");
  auto client = Connect();
  auto request = HttpClient::MakeRequest("/domain/a.com", kName, {{http::field::cookie, std::string(2000, 'c')}});
  auto res = client->Ask(request);
  ASSERT_TRUE(res) << client->error().message();
  EXPECT_EQ(res->result_int(), 431u);
  EXPECT_TRUE(client->ServerCloses());
  const auto stats = Stats();
  EXPECT_EQ(stats["bad_requests"], 1);
  EXPECT_EQ(stats["queries"], 0);
}

TEST_P(RdapServerTest, GarbageHeadGets400AndClose) {
  Start("", kAnswers);
  auto client = Connect();
  ASSERT_FALSE(client->SendRaw("HELLO THERE\r\n\r\n"));
  auto res = client->Read();
  ASSERT_TRUE(res) << client->error().message();
  EXPECT_EQ(res->result_int(), 400u);
  EXPECT_TRUE(client->ServerCloses());
  EXPECT_EQ(Stats()["bad_requests"], 1);
}

TEST_P(RdapServerTest, IdleConnectionIsClosed) {
  Start("", kAnswers, "idle_timeout_ms = 200\n");
  auto client = Connect();
  ASSERT_TRUE(Get(*client, "/domain/a.com"));
  EXPECT_TRUE(client->ServerCloses());
  EXPECT_TRUE(StatReaches("idle_timeouts", 1));
  EXPECT_EQ(Stats()["queries"], 1);
}

TEST_P(RdapServerTest, ModeErrorAnswers503) {
  Start("mode = \"error\"\nretry_after_s = 7\n", kAnswers);
  auto client = Connect();
  auto res = Get(*client, "/domain/a.com");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->result_int(), 503u);
  EXPECT_EQ((*res)[http::field::retry_after], "7");
  const auto body = nlohmann::json::parse(res->body(), nullptr, false);
  EXPECT_EQ(body["errorCode"], 503);
  EXPECT_EQ(Stats()["served"], 1);
}

TEST_P(RdapServerTest, ModeRefuseClosesAtOnce) {
  Start("mode = \"refuse\"\n");
  HttpClient client(sim_->port(kName), Options());
  const auto ec = client.Connect();
  if (tls()) {
    EXPECT_TRUE(ec);  // closed before the handshake
  } else {
    ASSERT_FALSE(ec);
    EXPECT_TRUE(client.ServerCloses());
  }
  EXPECT_TRUE(StatReaches("open_connections", 0));
  const auto stats = Stats();
  EXPECT_EQ(stats["connections"], 1);
  EXPECT_EQ(stats["queries"], 0);
  EXPECT_EQ(stats["tls_handshake_failures"], 0);
}

TEST_P(RdapServerTest, ModeSilentHoldsTheSlotUntilTheClientCloses) {
  Start("mode = \"silent\"\nconcurrency = 1\n");
  auto client = Connect();
  ASSERT_FALSE(client->Send(HttpClient::MakeRequest("/domain/a.com", kName)));
  bool closed = false;
  EXPECT_EQ(client->ReadRaw(1, milliseconds(300), &closed), "");
  EXPECT_FALSE(closed);
  auto stats = Stats();
  EXPECT_EQ(stats["served"], 1);
  EXPECT_EQ(stats["open"], 1);
  client->Close();
  EXPECT_TRUE(StatReaches("open", 0));
}

TEST_P(RdapServerTest, ModeEndlessStreamsChunksUntilTheClientCloses) {
  Start("mode = \"endless\"\n");
  auto client = Connect();
  ASSERT_FALSE(client->Send(HttpClient::MakeRequest("/domain/a.com", kName)));
  bool closed = false;
  const std::string got = client->ReadRaw(256 * 1024, milliseconds(3000), &closed);
  EXPECT_FALSE(closed);
  EXPECT_GE(got.size(), 256u * 1024);
  EXPECT_EQ(got.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << got.substr(0, 200);
  EXPECT_NE(got.find("Transfer-Encoding: chunked\r\n"), std::string::npos);
  EXPECT_EQ(Stats()["open"], 1);
  client->Close();
  EXPECT_TRUE(StatReaches("open", 0));
}

TEST_P(RdapServerTest, ModeSlowSendsTheBodyOneBytePerInterval) {
  Start("mode = \"slow\"\nnot_found = \"abcdefghij\"\n", "", "slow_interval_ms = 20\n");
  auto client = Connect();
  const auto start = std::chrono::steady_clock::now();
  auto res = Get(*client, "/domain/a.com");
  ASSERT_TRUE(res) << client->error().message();
  EXPECT_EQ(res->result_int(), 404u);
  EXPECT_EQ(res->body(), "abcdefghij");
  EXPECT_GE(std::chrono::steady_clock::now() - start, milliseconds(9 * 20));
  // The response is complete: the connection goes on.
  ASSERT_TRUE(Get(*client, "/domain/b.com"));
  EXPECT_EQ(Stats()["open"], 0);
}

TEST_P(RdapServerTest, ModeBinarySendsRandomBytes) {
  Start("mode = \"binary\"\n");
  auto client = Connect();
  auto res = Get(*client, "/domain/a.com");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->result_int(), 200u);
  EXPECT_GE(res->body().size(), 256u);
  EXPECT_LE(res->body().size(), 2048u);
}

TEST_P(RdapServerTest, ResetZeroesCountersButKeepsOpenConnections) {
  Start("", kAnswers);
  auto client = Connect();
  ASSERT_TRUE(Get(*client, "/domain/a.com"));
  EXPECT_EQ(testing::Ask(sim_->control(), "reset\n").value_or(""), "ok\n");
  const auto stats = Stats();
  EXPECT_EQ(stats["queries"], 0);
  EXPECT_EQ(stats["connections"], 0);
  EXPECT_EQ(stats["open_connections"], 1);
  EXPECT_TRUE(stats["statuses"].empty());
}

INSTANTIATE_TEST_SUITE_P(HttpAndHttps, RdapServerTest, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "Https" : "Http"; });

// TLS only: what the client sees of the certificate, and what the server
// counts of the handshake. Not parameterized: each test builds its sim.
class RdapTlsTest : public RdapServerTest {};

TEST_F(RdapTlsTest, UntrustedCertificateFailsTheHandshake) {
  RunningSim sim(TlsServerToml(pki_->self_signed));
  ASSERT_TRUE(sim.ok());
  HttpClient client(sim.port(kName), TlsOptions(pki_->trusted.ca_cert_file, kName));
  const auto ec = client.Connect();
  EXPECT_TRUE(ec);
  EXPECT_NE(ec.message().find("certificate verify failed"), std::string::npos) << ec.message();
  EXPECT_TRUE(CounterReaches(sim, "tls_handshake_failures", 1));
  EXPECT_EQ(sim.Stats(kName)["queries"], 0);
}

TEST_F(RdapTlsTest, ExpiredCertificateFailsTheHandshake) {
  RunningSim sim(TlsServerToml(pki_->expired));
  ASSERT_TRUE(sim.ok());
  HttpClient client(sim.port(kName), TlsOptions(pki_->expired.ca_cert_file, kName));
  const auto ec = client.Connect();
  EXPECT_TRUE(ec);
  EXPECT_NE(ec.message().find("certificate verify failed"), std::string::npos) << ec.message();
}

TEST_F(RdapTlsTest, WrongOrMissingSniIsCountedButServed) {
  RunningSim sim(TlsServerToml(pki_->trusted));
  ASSERT_TRUE(sim.ok());
  for (const std::string sni : {"alias.test", ""}) {
    HttpClient client(sim.port(kName), TlsOptions(pki_->trusted.ca_cert_file, sni, kName));
    ASSERT_FALSE(client.Connect()) << sni;
    auto res = client.Ask(HttpClient::MakeRequest("/domain/a.com", kName));
    ASSERT_TRUE(res) << sni;
    EXPECT_EQ(res->result_int(), 404u);
  }
  const auto stats = sim.Stats(kName);
  EXPECT_EQ(stats["bad_sni"], 2);
  EXPECT_EQ(stats["sni"], nlohmann::json({{"alias.test", 1}, {"", 1}}));
  EXPECT_EQ(stats["served"], 2);
}

TEST_F(RdapTlsTest, PlainHttpToAnHttpsServerIsAHandshakeFailure) {
  RunningSim sim(TlsServerToml(pki_->trusted));
  ASSERT_TRUE(sim.ok());
  HttpClient client(sim.port(kName), HttpClientOptions{});
  ASSERT_FALSE(client.Connect());
  EXPECT_FALSE(client.Ask(HttpClient::MakeRequest("/domain/a.com", kName)));
  EXPECT_TRUE(CounterReaches(sim, "tls_handshake_failures", 1));
}

}  // namespace
}  // namespace whoisq::sim
