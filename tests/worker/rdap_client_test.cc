// The worker's RDAP client against the project's simulated RDAP servers, in
// process, on 127.0.0.1 with real sockets and real TLS (a test CA): verified
// HTTPS with the real name in SNI and Host, keep-alive reuse, redirects, caps,
// gzip, and hostile servers, each ending in a typed result within its bounds.
#include "worker/rdap_client.h"

#include <stdlib.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/asio/write.hpp>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/support/test_pki.h"
#include "tools/whois_sim/sim_config.h"
#include "tools/whois_sim/sim_server.h"

namespace whoisq::worker {
namespace {

namespace asio = boost::asio;
using schema::ErrorCode;
using std::chrono::milliseconds;

constexpr char kDomainJson[] =
    R"({"objectClassName":"domain","ldhName":"{{query}}","rdapConformance":["rdap_level_0"]})";

// Everything shared by the tests: three PKIs (trusted, untrusted, expired), a
// temp folder with the large answers, and one SimServer with every server.
struct World {
  std::string dir;
  testing::TestPki trusted, untrusted, expired;
  std::string ca_bundle;  // trusted's and expired's CA certificates
  std::unique_ptr<sim::SimServer> sim;
  std::thread thread;
  std::map<std::string, std::string> book;  // host -> 127.0.0.1:port
  std::string error;
};

World* world = nullptr;

std::string TlsKeys(const testing::TestPki& pki) {
  return "tls = true\ntls_cert = \"" + pki.cert_file + "\"\ntls_key = \"" + pki.key_file + "\"\n";
}

std::string Server(const std::string& name, const std::string& extra) {
  return "[[server]]\nname = \"" + name + "\"\nprotocol = \"rdap\"\n" + extra;
}

std::string Answer(const std::string& fields) { return "[[server.answer]]\n" + fields; }

std::string Text(const std::string& text) { return "text = '" + text + "'\n"; }

bool SetUpWorld(World* w) {
  char tmpl[] = "/tmp/rdap_client_test.XXXXXX";
  if (!mkdtemp(tmpl)) return false;
  w->dir = tmpl;
  if (!testing::MakeTestPki(w->dir + "/trusted", {"rdap.test", "gzip.test", "other.test"}, &w->trusted,
                            &w->error) ||
      !testing::MakeTestPki(w->dir + "/untrusted", {"untrusted.test"}, &w->untrusted, &w->error) ||
      !testing::MakeTestPki(w->dir + "/expired", {"expired.test"}, &w->expired, &w->error, /*expired=*/true)) {
    return false;
  }
  // The client trusts both CAs: the expired certificate fails on its dates alone.
  w->ca_bundle = w->dir + "/ca-bundle.pem";
  std::ofstream(w->ca_bundle) << std::ifstream(w->trusted.ca_cert_file).rdbuf()
                              << std::ifstream(w->expired.ca_cert_file).rdbuf();
  // 256 KiB of JSON (Content-Length over a 64 KiB cap) and a 16 MiB run of
  // spaces inside JSON (a gzip bomb: ~16 KiB on the wire).
  std::ofstream(w->dir + "/big.json") << "{\"pad\":\"" << std::string(256 * 1024, 'x') << "\"}";
  std::ofstream(w->dir + "/bomb.json") << "{\"pad\":\"" << std::string(16 * 1024 * 1024, ' ') << "\"}";

  const std::string domain = Answer("match = \"example.com\"\n" + Text(kDomainJson));
  std::string toml = "[sim]\nidle_timeout_ms = 1000\n";
  toml += Server("rdap.test", TlsKeys(w->trusted)) + domain +
          Answer("match = \"missing.com\"\nstatus = 404\n" +
                 Text(R"({"errorCode":404,"title":"Not Found"})")) +
          Answer("match = \"moved.com\"\nredirect = \"/domain/example.com\"\n") +
          Answer("match = \"away.com\"\nredirect = \"https://other.test/domain/example.com\"\n") +
          Answer("match = \"loop1.com\"\nredirect = \"/domain/loop2.com\"\n") +
          Answer("match = \"loop2.com\"\nredirect = \"/domain/loop1.com\"\n") +
          Answer("match = \"big.com\"\nfile = \"big.json\"\n");
  toml += Server("other.test", TlsKeys(w->trusted)) + domain;
  toml += Server("gzip.test", TlsKeys(w->trusted) + "gzip = true\n") + domain +
          Answer("match = \"bomb.com\"\nfile = \"bomb.json\"\n");
  toml += Server("untrusted.test", TlsKeys(w->untrusted)) + domain;
  toml += Server("expired.test", TlsKeys(w->expired)) + domain;
  toml += Server("plain.test", "tls = false\n") + domain;
  toml += Server("limited.test", "daily = 1\nretry_after_s = 2\n") + domain;
  toml += "[[server]]\nname = \"whois-binary.test\"\nmode = \"binary\"\n";
  toml += "[[server]]\nname = \"whois-text.test\"\nnot_found = \"No match for {{QUERY}}.\"\n";
  for (const char* mode : {"error", "silent", "endless", "refuse", "binary"}) {
    toml += Server(std::string(mode) + ".test", "mode = \"" + std::string(mode) + "\"\n") + domain;
  }
  auto config = sim::ParseSimConfig(toml, w->dir, &w->error);
  if (!config) return false;
  w->sim = sim::SimServer::Create(*config, &w->error);
  if (!w->sim) return false;
  for (const auto& [host, port] : w->sim->ports()) w->book[host] = "127.0.0.1:" + std::to_string(port);
  // A name the trusted certificate does not carry, served by rdap.test.
  w->book["alias.test"] = w->book["rdap.test"];
  w->thread = std::thread([sim = w->sim.get()] { sim->Run(); });
  return true;
}

HttpRequest Request(const std::string& url, milliseconds timeout = milliseconds(3000),
                    uint32_t max_bytes = 1 << 20) {
  HttpRequest request;
  request.url = url;
  request.timeout = timeout;
  request.connect_timeout = milliseconds(1000);
  request.max_bytes = max_bytes;
  return request;
}

// Runs the Gets concurrently on `io`; answers in order.
std::vector<HttpAnswer> RunGets(asio::io_context& io, RdapClient& client, const std::vector<HttpRequest>& requests) {
  std::vector<std::future<HttpAnswer>> futures;
  for (const auto& request : requests) futures.push_back(asio::co_spawn(io, client.Get(request), asio::use_future));
  io.restart();
  io.run();
  std::vector<HttpAnswer> answers;
  for (auto& f : futures) answers.push_back(f.get());
  return answers;
}

class RdapClientTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    world = new World;
    if (!SetUpWorld(world)) {
      std::string error = world->error;
      TearDownTestSuite();
      world = new World;
      world->error = "setup failed: " + error;
    }
  }
  static void TearDownTestSuite() {
    if (world->sim) world->sim->Stop();
    if (world->thread.joinable()) world->thread.join();
    if (!world->dir.empty()) std::filesystem::remove_all(world->dir);
    delete world;
    world = nullptr;
  }

  void SetUp() override {
    ASSERT_TRUE(world->sim) << world->error;
    ASSERT_EQ(Control("reset\n"), "ok\n");
    client_ = MakeClient(Trusting(world->ca_bundle));
    ASSERT_TRUE(client_);
  }

  static TlsSettings Trusting(const std::string& ca_file) {
    TlsSettings tls;
    tls.ca_file = ca_file;
    return tls;
  }

  std::unique_ptr<RdapClient> MakeClient(const TlsSettings& tls) {
    auto client = RdapClient::Create(io_.get_executor(), AddressBook(world->book, /*strict=*/true), tls);
    EXPECT_TRUE(client.ok()) << client.status().ToString();
    return client.ok() ? std::move(*client) : nullptr;
  }

  std::vector<HttpAnswer> GetAll(RdapClient& client, const std::vector<HttpRequest>& requests) {
    return RunGets(io_, client, requests);
  }
  HttpAnswer Get(RdapClient& client, const HttpRequest& request) { return GetAll(client, {request})[0]; }
  HttpAnswer Get(const std::string& url) { return Get(*client_, Request(url)); }

  // One command on the sim's control socket (thread-safe, unlike SimServer's accessors).
  static std::string Control(const std::string& command) {
    asio::io_context io;
    asio::ip::tcp::socket socket(io);
    socket.connect({asio::ip::make_address("127.0.0.1"), world->sim->control_port()});
    asio::write(socket, asio::buffer(command));
    std::string reply;
    boost::system::error_code ec;
    asio::read(socket, asio::dynamic_buffer(reply), ec);
    return reply;
  }
  static nlohmann::json Stats(const std::string& host) {
    return nlohmann::json::parse(Control("stats\n"))["servers"][host];
  }

  asio::io_context io_;
  std::unique_ptr<RdapClient> client_;
};

TEST_F(RdapClientTest, HttpsVerifiedWithTheRealNameInSniAndHost) {
  HttpAnswer a = Get("https://rdap.test/domain/example.com");
  ASSERT_TRUE(a.status.ok()) << a.status.ToString();
  EXPECT_EQ(a.http_status, 200);
  EXPECT_NE(a.body.find(R"("ldhName":"example.com")"), std::string::npos) << a.body;
  EXPECT_EQ(a.content_type, "application/rdap+json");
  EXPECT_EQ(a.final_url, "https://rdap.test/domain/example.com");
  EXPECT_EQ(a.retry_after_ms, -1);
  EXPECT_TRUE(a.location.empty());
  EXPECT_FALSE(a.reused_connection);
  auto stats = Stats("rdap.test");
  EXPECT_EQ(stats["queries"], 1) << stats;
  EXPECT_EQ(stats["bad_host"], 0) << stats;
  EXPECT_EQ(stats["bad_sni"], 0) << stats;
  EXPECT_EQ(stats["tls_handshake_failures"], 0) << stats;
}

TEST_F(RdapClientTest, UntrustedCertificateIsATlsErrorUnlessTheHostIsInsecure) {
  HttpAnswer a = Get("https://untrusted.test/domain/example.com");
  EXPECT_EQ(a.status.code(), ErrorCode::kTlsError) << a.status.ToString();
  EXPECT_NE(a.status.message().find("certificate verify failed: unable to get local issuer certificate"),
            std::string::npos)
      << a.status.message();
  EXPECT_EQ(Stats("untrusted.test")["queries"], 0);

  TlsSettings tls = Trusting(world->ca_bundle);
  tls.insecure_hosts = {"Untrusted.Test"};
  auto lenient = MakeClient(tls);
  a = Get(*lenient, Request("https://untrusted.test/domain/example.com"));
  ASSERT_TRUE(a.status.ok()) << a.status.ToString();
  EXPECT_EQ(a.http_status, 200);
  // The opt-out is per host: others are still verified.
  a = Get(*lenient, Request("https://expired.test/domain/example.com"));
  EXPECT_EQ(a.status.code(), ErrorCode::kTlsError) << a.status.ToString();
}

TEST_F(RdapClientTest, ExpiredCertificateIsATlsError) {
  HttpAnswer a = Get("https://expired.test/domain/example.com");
  EXPECT_EQ(a.status.code(), ErrorCode::kTlsError) << a.status.ToString();
  EXPECT_NE(a.status.message().find("certificate has expired"), std::string::npos) << a.status.message();
}

TEST_F(RdapClientTest, CertificateForAnotherNameIsATlsError) {
  HttpAnswer a = Get("https://alias.test/domain/example.com");
  EXPECT_EQ(a.status.code(), ErrorCode::kTlsError) << a.status.ToString();
  EXPECT_NE(a.status.message().find("hostname mismatch"), std::string::npos) << a.status.message();
}

TEST_F(RdapClientTest, PlainHttpWorks) {
  HttpAnswer a = Get("http://plain.test/domain/example.com");
  ASSERT_TRUE(a.status.ok()) << a.status.ToString();
  EXPECT_EQ(a.http_status, 200);
  EXPECT_NE(a.body.find("example.com"), std::string::npos);
  EXPECT_EQ(Stats("plain.test")["bad_host"], 0);
}

TEST_F(RdapClientTest, KeepAliveCarriesSequentialGetsOverOneConnection) {
  for (int i = 0; i < 5; ++i) {
    HttpAnswer a = Get("https://rdap.test/domain/example.com");
    ASSERT_TRUE(a.status.ok()) << i << ": " << a.status.ToString();
    EXPECT_EQ(a.reused_connection, i > 0) << i;
    EXPECT_EQ(client_->IdleConnections(), 1u);
  }
  auto stats = Stats("rdap.test");
  EXPECT_EQ(stats["connections"], 1) << stats;
  EXPECT_EQ(stats["queries"], 5) << stats;
}

TEST_F(RdapClientTest, PoolKeepsAtMostFourIdleConnectionsPerOrigin) {
  std::vector<HttpRequest> requests(6, Request("https://rdap.test/domain/example.com"));
  for (const auto& a : GetAll(*client_, requests)) EXPECT_TRUE(a.status.ok()) << a.status.ToString();
  EXPECT_EQ(Stats("rdap.test")["connections"], 6);
  EXPECT_EQ(client_->IdleConnections(), 4u);
  // Another origin has its own share.
  ASSERT_TRUE(Get("https://other.test/domain/example.com").status.ok());
  EXPECT_EQ(client_->IdleConnections(), 5u);
}

TEST_F(RdapClientTest, ConnectionClosedByTheServerIsNotReused) {
  ASSERT_TRUE(Get("http://plain.test/domain/example.com").status.ok());
  EXPECT_EQ(client_->IdleConnections(), 1u);
  std::this_thread::sleep_for(milliseconds(1400));  // past the sim's idle_timeout_ms
  HttpAnswer a = Get("http://plain.test/domain/example.com");
  ASSERT_TRUE(a.status.ok()) << a.status.ToString();
  EXPECT_FALSE(a.reused_connection);
  auto stats = Stats("plain.test");
  EXPECT_EQ(stats["connections"], 2) << stats;
  EXPECT_EQ(stats["queries"], 2) << stats;
}

TEST_F(RdapClientTest, NotFoundIsAnAnswer) {
  HttpAnswer a = Get("https://rdap.test/domain/missing.com");
  ASSERT_TRUE(a.status.ok()) << a.status.ToString();
  EXPECT_EQ(a.http_status, 404);
  EXPECT_NE(a.body.find("Not Found"), std::string::npos) << a.body;
  // An error answer leaves the connection usable.
  EXPECT_EQ(client_->IdleConnections(), 1u);
}

TEST_F(RdapClientTest, TooManyRequestsCarriesRetryAfter) {
  ASSERT_EQ(Get("http://limited.test/domain/example.com").http_status, 200);
  HttpAnswer a = Get("http://limited.test/domain/example.com");
  ASSERT_TRUE(a.status.ok()) << a.status.ToString();
  EXPECT_EQ(a.http_status, 429);
  EXPECT_EQ(a.retry_after_ms, 2000);
}

TEST_F(RdapClientTest, ServerErrorStatusIsAnAnswer) {
  HttpAnswer a = Get("http://error.test/domain/example.com");
  ASSERT_TRUE(a.status.ok()) << a.status.ToString();
  EXPECT_EQ(a.http_status, 503);
}

TEST_F(RdapClientTest, SameOriginRedirectIsFollowed) {
  HttpAnswer a = Get("https://rdap.test/domain/moved.com");
  ASSERT_TRUE(a.status.ok()) << a.status.ToString();
  EXPECT_EQ(a.http_status, 200);
  EXPECT_NE(a.body.find(R"("ldhName":"example.com")"), std::string::npos) << a.body;
  EXPECT_EQ(a.final_url, "https://rdap.test/domain/example.com");
  EXPECT_TRUE(a.location.empty());
  EXPECT_TRUE(a.reused_connection);  // the redirect's connection carried the second GET
  auto stats = Stats("rdap.test");
  EXPECT_EQ(stats["queries"], 2) << stats;
  EXPECT_EQ(stats["connections"], 1) << stats;
}

TEST_F(RdapClientTest, CrossOriginRedirectIsReturnedNotFollowed) {
  HttpAnswer a = Get("https://rdap.test/domain/away.com");
  ASSERT_TRUE(a.status.ok()) << a.status.ToString();
  EXPECT_EQ(a.http_status, 302);
  EXPECT_EQ(a.location, "https://other.test/domain/example.com");
  EXPECT_EQ(a.final_url, "https://rdap.test/domain/away.com");
  EXPECT_EQ(Stats("other.test")["queries"], 0);
}

TEST_F(RdapClientTest, RedirectLoopIsCapped) {
  HttpRequest request = Request("https://rdap.test/domain/loop1.com");
  request.max_redirects = 3;
  HttpAnswer a = Get(*client_, request);
  ASSERT_TRUE(a.status.ok()) << a.status.ToString();
  EXPECT_EQ(a.http_status, 302);
  EXPECT_EQ(a.location, "https://rdap.test/domain/loop1.com");  // the 4th hop, not taken
  EXPECT_EQ(a.final_url, "https://rdap.test/domain/loop2.com");
  EXPECT_EQ(Stats("rdap.test")["queries"], 4);

  request.max_redirects = 0;
  a = Get(*client_, request);
  EXPECT_EQ(a.http_status, 302);
  EXPECT_EQ(a.location, "https://rdap.test/domain/loop2.com");
}

TEST_F(RdapClientTest, SilentServerTimesOutWithinTheDeadline) {
  auto started = std::chrono::steady_clock::now();
  HttpAnswer a = Get(*client_, Request("http://silent.test/domain/example.com", milliseconds(500)));
  EXPECT_EQ(a.status.code(), ErrorCode::kTimeout) << a.status.ToString();
  EXPECT_GE(a.elapsed, milliseconds(450));
  EXPECT_LT(std::chrono::steady_clock::now() - started, milliseconds(1500));
  EXPECT_EQ(client_->IdleConnections(), 0u);
}

TEST_F(RdapClientTest, EndlessServerIsCutAtTheSizeCap) {
  HttpAnswer a = Get(*client_, Request("http://endless.test/domain/example.com", milliseconds(3000), 64 * 1024));
  EXPECT_EQ(a.status.code(), ErrorCode::kTooLarge) << a.status.ToString();
  EXPECT_LE(a.body.size(), 64u * 1024u);
}

TEST_F(RdapClientTest, RefusingServerIsTyped) {
  HttpAnswer a = Get("http://refuse.test/domain/example.com");
  EXPECT_TRUE(a.status.code() == ErrorCode::kRefused || a.status.code() == ErrorCode::kServerError)
      << a.status.ToString();
}

// The sim's RDAP "binary" mode sends noise as a well-formed HTTP body: that is
// an answer here; the JSON reader above the client rejects it.
TEST_F(RdapClientTest, BinaryBodyIsDeliveredAsBytes) {
  HttpAnswer a = Get("http://binary.test/domain/example.com");
  ASSERT_TRUE(a.status.ok()) << a.status.ToString();
  EXPECT_EQ(a.http_status, 200);
  EXPECT_FALSE(a.body.empty());
}

// A server that does not speak HTTP (here: simulated WHOIS servers, which take
// the request line as a query) is a typed server error, never an answer.
TEST_F(RdapClientTest, GarbledHttpIsAServerError) {
  for (const char* url : {"http://whois-binary.test/domain/example.com", "http://whois-text.test/domain/example.com"}) {
    HttpAnswer a = Get(url);
    EXPECT_EQ(a.status.code(), ErrorCode::kServerError) << url << ": " << a.status.ToString();
    EXPECT_NE(a.status.message().find("garbled HTTP"), std::string::npos) << a.status.message();
    EXPECT_EQ(a.http_status, 0);
  }
}

TEST_F(RdapClientTest, GzipBodyIsDecoded) {
  HttpAnswer a = Get("https://gzip.test/domain/example.com");
  ASSERT_TRUE(a.status.ok()) << a.status.ToString();
  EXPECT_EQ(a.http_status, 200);
  EXPECT_EQ(nlohmann::json::parse(a.body, nullptr, false)["ldhName"], "example.com") << a.body;
}

TEST_F(RdapClientTest, GzipBombIsTooLarge) {
  HttpAnswer a = Get(*client_, Request("https://gzip.test/domain/bomb.com", milliseconds(3000), 1 << 20));
  EXPECT_EQ(a.status.code(), ErrorCode::kTooLarge) << a.status.ToString();
  EXPECT_EQ(a.body.size(), 1u << 20);
}

TEST_F(RdapClientTest, ContentLengthOverTheCapIsTooLargeUnread) {
  HttpAnswer a = Get(*client_, Request("https://rdap.test/domain/big.com", milliseconds(3000), 64 * 1024));
  EXPECT_EQ(a.status.code(), ErrorCode::kTooLarge) << a.status.ToString();
  EXPECT_TRUE(a.body.empty());
  EXPECT_EQ(client_->IdleConnections(), 0u);  // the unread body makes the connection unusable
  a = Get(*client_, Request("https://rdap.test/domain/big.com", milliseconds(3000), 1 << 20));
  ASSERT_TRUE(a.status.ok()) << a.status.ToString();
  EXPECT_GT(a.body.size(), 256u * 1024u);
}

// A mapping to a name (not an address) goes through the system resolver
// (here /etc/hosts; no network).
TEST_F(RdapClientTest, MappedNameIsResolved) {
  std::map<std::string, std::string> entries = world->book;
  entries["plain.test"].replace(0, std::string("127.0.0.1").size(), "localhost");
  auto client = RdapClient::Create(io_.get_executor(), AddressBook(entries, true), {});
  ASSERT_TRUE(client.ok()) << client.status().ToString();
  HttpAnswer a = Get(**client, Request("http://plain.test/domain/example.com"));
  ASSERT_TRUE(a.status.ok()) << a.status.ToString();
  EXPECT_EQ(a.http_status, 200);
}

TEST_F(RdapClientTest, UnmappedHostIsUnreachable) {
  HttpAnswer a = Get("https://rdap.example.net/domain/example.com");
  EXPECT_EQ(a.status.code(), ErrorCode::kUnreachable) << a.status.ToString();
}

TEST_F(RdapClientTest, ClosedPortIsRefused) {
  asio::ip::tcp::acceptor acceptor(io_, {asio::ip::make_address("127.0.0.1"), 0});
  const uint16_t port = acceptor.local_endpoint().port();
  acceptor.close();
  auto client = RdapClient::Create(io_.get_executor(),
                                   AddressBook({{"closed.test", "127.0.0.1:" + std::to_string(port)}}, true), {});
  ASSERT_TRUE(client.ok()) << client.status().ToString();
  HttpAnswer a = Get(**client, Request("http://closed.test/domain/example.com"));
  EXPECT_EQ(a.status.code(), ErrorCode::kRefused) << a.status.ToString();
}

TEST_F(RdapClientTest, BadUrlIsAnInvalidQuery) {
  for (const char* url : {"", "rdap.test/domain/x", "ftp://rdap.test/", "https://rdap.test/a b",
                          "https://rdap.test/\r\nX-Evil: 1", "https://user@rdap.test/"}) {
    HttpAnswer a = Get(url);
    EXPECT_EQ(a.status.code(), ErrorCode::kInvalidQuery) << url << ": " << a.status.ToString();
  }
  EXPECT_EQ(Stats("rdap.test")["connections"], 0);
}

// A plain-HTTP server on 127.0.0.1 that plays a script, one entry per accepted
// connection (in order): answer that many requests, then read one more and
// close without a byte, as a server whose keep-alive timeout crosses the
// client's request does. Closes the listening socket after the script.
class ScriptedHttpServer {
 public:
  explicit ScriptedHttpServer(std::vector<int> answers_per_connection)
      : acceptor_(io_, {asio::ip::make_address("127.0.0.1"), 0}),
        thread_([this, script = std::move(answers_per_connection)] { Serve(script); }) {}
  // Call after the client closed its connections. Connections the client did
  // not make are stood in for by empty ones, so a failing test cannot hang here.
  ~ScriptedHttpServer() {
    asio::io_context io;
    while (!done_) {
      asio::ip::tcp::socket socket(io);
      boost::system::error_code ec;
      socket.connect({asio::ip::make_address("127.0.0.1"), port_}, ec);
      if (ec) break;
    }
    thread_.join();
  }
  uint16_t port() const { return port_; }
  int requests_seen() const { return requests_seen_; }

 private:
  void Serve(const std::vector<int>& script) {
    for (int answers : script) {
      asio::ip::tcp::socket socket(io_);
      boost::system::error_code ec;
      acceptor_.accept(socket, ec);
      if (ec) return;
      std::string in;
      for (int i = 0; i <= answers; ++i) {
        size_t n = asio::read_until(socket, asio::dynamic_buffer(in), "\r\n\r\n", ec);
        if (ec) break;
        in.erase(0, n);
        ++requests_seen_;
        if (i == answers) break;  // the request that crosses the close
        asio::write(socket, asio::buffer(std::string(kReply)), ec);
      }
    }
    done_ = true;
    acceptor_.close();
  }

  static constexpr char kReply[] =
      "HTTP/1.1 200 OK\r\nContent-Type: application/rdap+json\r\nContent-Length: 2\r\n\r\n{}";
  asio::io_context io_;
  asio::ip::tcp::acceptor acceptor_;
  const uint16_t port_ = acceptor_.local_endpoint().port();
  std::atomic<int> requests_seen_{0};
  std::atomic<bool> done_{false};
  std::thread thread_;
};

HttpAnswer GetOnce(RdapClient& client, asio::io_context& io, const std::string& url) {
  return RunGets(io, client, {Request(url)})[0];
}

TEST(RdapClientKeepAlive, ReusedConnectionClosedBeforeAnswerIsRetriedOnceFresh) {
  ScriptedHttpServer server({1, 1});
  asio::io_context io;
  auto client = RdapClient::Create(
      io.get_executor(), AddressBook({{"scripted.test", "127.0.0.1:" + std::to_string(server.port())}}, true), {});
  ASSERT_TRUE(client.ok()) << client.status().ToString();
  HttpAnswer a = GetOnce(**client, io, "http://scripted.test/domain/example.com");
  ASSERT_TRUE(a.status.ok()) << a.status.ToString();
  ASSERT_EQ((*client)->IdleConnections(), 1u);
  a = GetOnce(**client, io, "http://scripted.test/domain/example.com");
  ASSERT_TRUE(a.status.ok()) << a.status.ToString();
  EXPECT_EQ(a.http_status, 200);
  EXPECT_FALSE(a.reused_connection);  // the answer came over the second connection
  EXPECT_EQ(server.requests_seen(), 3);
}

TEST(RdapClientKeepAlive, FreshConnectionClosedBeforeAnswerIsNotRetried) {
  ScriptedHttpServer server({0, 1});
  asio::io_context io;
  auto client = RdapClient::Create(
      io.get_executor(), AddressBook({{"scripted.test", "127.0.0.1:" + std::to_string(server.port())}}, true), {});
  ASSERT_TRUE(client.ok()) << client.status().ToString();
  HttpAnswer a = GetOnce(**client, io, "http://scripted.test/domain/example.com");
  EXPECT_EQ(a.status.code(), ErrorCode::kRefused) << a.status.ToString();
  EXPECT_NE(a.status.message().find("closed without an answer"), std::string::npos) << a.status.message();
  EXPECT_EQ(server.requests_seen(), 1);
  // The script's second connection lets the server thread finish.
  ASSERT_TRUE(GetOnce(**client, io, "http://scripted.test/domain/example.com").status.ok());
}

TEST(RdapClientCreate, MissingCaFileFailsTyped) {
  asio::io_context io;
  AddressBook book({}, true);
  TlsSettings tls;
  tls.ca_file = "/nonexistent/ca.pem";
  auto client = RdapClient::Create(io.get_executor(), book, tls);
  ASSERT_FALSE(client.ok());
  EXPECT_EQ(client.status().code(), ErrorCode::kIoError);
  EXPECT_NE(client.status().message().find("/nonexistent/ca.pem"), std::string::npos)
      << client.status().message();

  const std::string junk = ::testing::TempDir() + "rdap_client_test_junk.pem";
  std::ofstream(junk) << "not a certificate\n";
  tls.ca_file = junk;
  client = RdapClient::Create(io.get_executor(), book, tls);
  ASSERT_FALSE(client.ok());
  EXPECT_EQ(client.status().code(), ErrorCode::kTlsError) << client.status().ToString();
  std::filesystem::remove(junk);
}

TEST(RetryAfter, DeltaSecondsAndHttpDates) {
  // 2026-03-01 12:00:00 UTC.
  const auto now = std::chrono::system_clock::from_time_t(1772366400);
  struct Case {
    const char* value;
    int64_t ms;
  } cases[] = {
      {"2", 2000},
      {" 120 ", 120000},
      {"0", 0},
      {"Sun, 01 Mar 2026 12:00:30 GMT", 30000},     // IMF-fixdate
      {"Sunday, 01-Mar-26 12:01:00 GMT", 60000},    // RFC 850
      {"Sun Mar  1 12:00:05 2026", 5000},           // asctime
      {"Sat, 28 Feb 2026 12:00:00 GMT", 0},         // past: retry now
      {"", -1},
      {"-5", -1},
      {"soon", -1},
      {"Sun, 01 Foo 2026 12:00:30 GMT", -1},
      {"Sun, 01 Mar 2026 25:00:30 GMT", -1},
      {"1.5", -1},
  };
  for (const auto& c : cases) EXPECT_EQ(RetryAfterMs(c.value, now), c.ms) << '"' << c.value << '"';
}

}  // namespace
}  // namespace whoisq::worker
