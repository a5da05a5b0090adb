#include "config/options.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace whoisq::config {
namespace {

TEST(Options, EmptyTextGivesDefaults) {
  auto o = ParseOptions("", "test");
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  EXPECT_EQ(o->broker.frontend, "tcp://127.0.0.1:7700");
  EXPECT_EQ(o->broker.publish, "tcp://127.0.0.1:7701");
  EXPECT_EQ(o->broker.workers, "tcp://127.0.0.1:7702");
  EXPECT_EQ(o->store.path, "./whoisq-data");
  EXPECT_EQ(o->network.iana, "whois.iana.org");
  EXPECT_EQ(o->network.timeout_s, 15);
  EXPECT_EQ(o->default_limits.concurrency, 1u);
  EXPECT_EQ(o->default_limits.daily, 5000u);
}

TEST(Options, TheExampleFileIsValidAndMatchesTheDefaults) {
  std::ifstream in(WHOISQ_SOURCE_DIR "/config/whoisq.example.toml");
  std::stringstream text;
  text << in.rdbuf();
  auto o = ParseOptions(text.str(), "whoisq.example.toml");
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  Options d;
  EXPECT_EQ(o->broker.frontend, d.broker.frontend);
  EXPECT_EQ(o->broker.lease_ms, d.broker.lease_ms);
  EXPECT_EQ(o->store.result_ttl_s, d.store.result_ttl_s);
  EXPECT_EQ(o->network.max_response_bytes, d.network.max_response_bytes);
  EXPECT_EQ(o->worker.slots, d.worker.slots);
  ASSERT_TRUE(o->limits.count("whois.verisign-grs.com"));
  EXPECT_EQ(o->limits.at("whois.verisign-grs.com").concurrency, 4u);
  EXPECT_DOUBLE_EQ(o->limits.at("whois.verisign-grs.com").per_second, 10.0);
  EXPECT_EQ(o->rdap.bootstrap, d.rdap.bootstrap);
  EXPECT_EQ(o->rdap.bootstrap_ttl_s, d.rdap.bootstrap_ttl_s);
  EXPECT_EQ(o->rdap.ca_file, d.rdap.ca_file);
  EXPECT_EQ(o->rdap.insecure, d.rdap.insecure);
  EXPECT_EQ(o->rdap.max_redirects, d.rdap.max_redirects);
  EXPECT_EQ(o->protocol.prefer, d.protocol.prefer);
  EXPECT_EQ(o->protocol.tld, d.protocol.tld);
}

TEST(Options, ReadsRdapAndProtocolChoice) {
  Options d;
  EXPECT_EQ(d.rdap.bootstrap, "https://data.iana.org/rdap/");
  EXPECT_EQ(d.protocol.prefer, "rdap");
  auto o = ParseOptions(R"(
[rdap]
bootstrap = "https://data.iana.test/rdap/"
ca_file = "/tmp/ca.pem"
insecure = ["RDAP.Self-Signed.test"]
[protocol]
prefer = "whois"
[protocol.tld]
"DE" = "whois"
"com" = "rdap"
)", "test");
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  EXPECT_EQ(o->rdap.bootstrap, "https://data.iana.test/rdap/");
  EXPECT_EQ(o->rdap.ca_file, "/tmp/ca.pem");
  EXPECT_EQ(o->rdap.insecure, std::vector<std::string>{"rdap.self-signed.test"});
  EXPECT_EQ(o->protocol.prefer, "whois");
  EXPECT_EQ(o->protocol.tld.at("de"), "whois");  // TLDs fold case
  EXPECT_EQ(o->protocol.tld.at("com"), "rdap");
  auto never = ParseOptions("[rdap]\nbootstrap = \"\"", "test");
  ASSERT_TRUE(never.ok());
  EXPECT_TRUE(never->rdap.bootstrap.empty());
}

TEST(Options, ReadsTheKeysTestsRelyOn) {
  auto o = ParseOptions(R"(
[broker]
frontend = "tcp://127.0.0.1:17700"
[store]
path = "/tmp/x"
[network]
iana = "whois.iana.org"
timeout_s = 3
strict_resolve = true
[resolve]
"WHOIS.IANA.ORG" = "127.0.0.1:4300"
[limits.default]
concurrency = 2
per_second = 0.5
burst = 3
daily = 10
[limits."whois.nic.xyz"]
per_second = 5
group = "centralnic"
)", "test");
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  EXPECT_EQ(o->broker.frontend, "tcp://127.0.0.1:17700");
  EXPECT_TRUE(o->network.strict_resolve);
  EXPECT_EQ(o->resolve.at("whois.iana.org"), "127.0.0.1:4300");  // host names fold case
  EXPECT_DOUBLE_EQ(o->default_limits.per_second, 0.5);
  // A server table inherits [limits.default] for the keys it leaves out.
  const LimitOptions& xyz = o->limits.at("whois.nic.xyz");
  EXPECT_EQ(xyz.concurrency, 2u);
  EXPECT_EQ(xyz.daily, 10u);
  EXPECT_DOUBLE_EQ(xyz.per_second, 5.0);
  EXPECT_EQ(xyz.group, "centralnic");
}

TEST(Options, ErrorsNameTheKeyAndRange) {
  struct Case {
    const char* toml;
    const char* message;
  } cases[] = {
      {"[limits.default]\nper_second = 0", "[limits.default] per_second must be > 0"},
      {"[limits.default]\nper_second = \"fast\"", "[limits.default] per_second must be a number"},
      {"[network]\ntimeout_s = 0", "[network] timeout_s must be in [1, 3600]"},
      {"[broker]\nfrontnd = \"x\"", "unknown key [broker] frontnd"},
      {"[brokers]\n", "unknown section [brokers]"},
      {"[resolve]\n\"a.b\" = \"127.0.0.1:99999\"", "port must be in [1, 65535]"},
      {"[log]\nlevel = \"loud\"", "[log] level must be one of"},
      {"[broker\n", "test:"},
      {"[limits.\"whois.x.net\"]\nburst = 0", "[limits.\"whois.x.net\"] burst must be in [1, 1000000]"},
      {"[protocol]\nprefer = \"gopher\"", "[protocol] prefer must be \"rdap\" or \"whois\", got \"gopher\""},
      {"[protocol.tld]\nde = \"ftp\"", "[protocol.tld] \"de\" must be \"rdap\" or \"whois\""},
      {"[protocol]\npreferred = \"rdap\"", "unknown key [protocol] preferred"},
      {"[rdap]\nbootstrap = \"ftp://x/\"", "[rdap] bootstrap must be an http(s) URL ending in '/'"},
      {"[rdap]\ninsecure = \"host\"", "[rdap] insecure must be an array of strings"},
      {"[rdap]\nmax_redirects = 11", "[rdap] max_redirects must be in [0, 10]"},
  };
  for (const Case& c : cases) {
    auto o = ParseOptions(c.toml, "test");
    ASSERT_FALSE(o.ok()) << c.toml;
    EXPECT_EQ(o.status().code(), schema::ErrorCode::kMalformed) << c.toml;
    EXPECT_NE(o.status().message().find(c.message), std::string::npos)
        << c.toml << "\n  got: " << o.status().message();
  }
}

TEST(SplitHostPort, Forms) {
  auto a = SplitHostPort("127.0.0.1:4300");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->host, "127.0.0.1");
  EXPECT_EQ(a->port, 4300);
  auto b = SplitHostPort("[::1]:43");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->host, "::1");
  EXPECT_EQ(b->port, 43);
  auto c = SplitHostPort("127.0.0.2");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->port, 0);
  EXPECT_FALSE(SplitHostPort("127.0.0.1:0").ok());
  EXPECT_FALSE(SplitHostPort(":43").ok());
  EXPECT_FALSE(SplitHostPort("[::1").ok());
}

}  // namespace
}  // namespace whoisq::config
