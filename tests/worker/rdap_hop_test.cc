// RdapJobResult: what an RDAP hop reports to the broker for each kind of HTTP
// answer (the HTTP exchange itself is tested in rdap_client_test.cc).
#include "worker/rdap_hop.h"

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

namespace whoisq::worker {
namespace {

std::string Fixture(const std::string& name) {
  std::ifstream in(std::string(WHOISQ_SOURCE_DIR) + "/tests/fixtures/rdap/" + name);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

schema::Job RdapJob(const std::string& url, const std::string& type = "domain") {
  schema::Job job;
  job.job_id = 7;
  job.token.id = 70;
  job.host = "rdap.verisign.com";
  job.port = 443;
  job.args = url;
  job.type = type;
  job.protocol = "rdap";
  return job;
}

HttpAnswer Http(int status, std::string body) {
  HttpAnswer a;
  a.http_status = status;
  a.body = std::move(body);
  return a;
}

TEST(RdapJobResult, ThinRegistryAnswerNamesTheRegistrarAsTheNextHop) {
  schema::Job job = RdapJob("https://rdap.verisign.com/com/v1/domain/google.com");
  schema::JobResult r = RdapJobResult(job, Http(200, Fixture("domain-google.com-verisign.json")));
  EXPECT_EQ(r.job_id, 7u);
  EXPECT_EQ(r.token_id, 70u);
  EXPECT_TRUE(r.error.empty()) << r.error << " " << r.message;
  EXPECT_EQ(r.http_status, 200);
  EXPECT_EQ(r.referral_url, "https://rdap.markmonitor.com/rdap/domain/GOOGLE.COM");
  EXPECT_EQ(r.referral_host, "rdap.markmonitor.com");
  EXPECT_EQ(r.referral_port, 443);
  EXPECT_EQ(r.record.protocol, "rdap");
  EXPECT_EQ(r.record.regrinfo.registered, "yes");
  EXPECT_EQ(r.record.regrinfo.domain.name, "google.com");
  ASSERT_EQ(r.record.regyinfo.servers.size(), 1u);
  EXPECT_EQ(r.record.regyinfo.servers[0].server, "rdap.verisign.com");
  EXPECT_EQ(r.record.regyinfo.servers[0].protocol, "rdap");
  EXPECT_EQ(r.record.regyinfo.servers[0].args, job.args);
  EXPECT_FALSE(r.record.rawdata.empty());
}

TEST(RdapJobResult, NotFoundIsAnAnswerWithOrWithoutAnRdapBody) {
  schema::Job job = RdapJob("https://rdap.verisign.com/com/v1/domain/nx.com");
  for (const std::string& body :
       {std::string(R"({"errorCode":404,"title":"Not Found","rdapConformance":["rdap_level_0"]})"),
        std::string("<html>not found</html>")}) {
    schema::JobResult r = RdapJobResult(job, Http(404, body));
    EXPECT_TRUE(r.error.empty()) << body;
    EXPECT_EQ(r.record.regrinfo.registered, "no") << body;
    EXPECT_TRUE(r.referral_url.empty());
    EXPECT_EQ(r.record.protocol, "rdap");
  }
}

TEST(RdapJobResult, TooManyRequestsIsAThrottleCarryingRetryAfter) {
  HttpAnswer a = Http(429, R"({"errorCode":429,"title":"Too Many Requests"})");
  a.retry_after_ms = 2000;
  schema::JobResult r = RdapJobResult(RdapJob("https://rdap.example/domain/a.com"), a);
  EXPECT_EQ(r.error, "throttled");
  EXPECT_EQ(r.retry_after_ms, 2000);
  EXPECT_TRUE(r.record.throttled);
  // Without the header: a throttle all the same, the scheduler's own pause applies.
  a.retry_after_ms = -1;
  r = RdapJobResult(RdapJob("https://rdap.example/domain/a.com"), a);
  EXPECT_EQ(r.error, "throttled");
  EXPECT_EQ(r.retry_after_ms, 0);
}

TEST(RdapJobResult, ServerErrorsAndRefusalsAreTyped) {
  struct Case {
    int status;
    const char* error;
  } cases[] = {{500, "server_error"}, {503, "server_error"}, {501, "server_error"},
               {403, "refused"},      {400, "invalid_query"}, {418, "server_error"}};
  for (const Case& c : cases) {
    schema::JobResult r = RdapJobResult(RdapJob("https://rdap.example/domain/a.com"), Http(c.status, "{}"));
    EXPECT_EQ(r.error, c.error) << c.status;
    EXPECT_NE(r.message.find(std::to_string(c.status)), std::string::npos) << r.message;
  }
  // A 403 that says why: too many queries (RIPE's text) is a throttle.
  schema::JobResult ban = RdapJobResult(
      RdapJob("https://rdap.db.ripe.net/ip/193.0.0.1", "ip"),
      Http(403, R"({"errorCode":403,"title":"Forbidden","description":["%ERROR:201: access denied for 192.0.2.7","Queries from your IP address have passed the daily limit of controlled objects."]})"));
  EXPECT_EQ(ban.error, "throttled");
  EXPECT_TRUE(ban.record.throttled);
  // A 200 whose body is not RDAP JSON is the server's fault too.
  schema::JobResult r = RdapJobResult(RdapJob("https://rdap.example/domain/a.com"), Http(200, "<html>"));
  EXPECT_EQ(r.error, "server_error");
}

TEST(RdapJobResult, TransportFailuresKeepTheClientsCode) {
  HttpAnswer a;
  a.status = schema::Status(schema::ErrorCode::kTlsError, "certificate verify failed");
  schema::JobResult r = RdapJobResult(RdapJob("https://rdap.example/domain/a.com"), a);
  EXPECT_EQ(r.error, "tls_error");
  EXPECT_EQ(r.message, "certificate verify failed");
  EXPECT_EQ(r.record.regyinfo.servers.size(), 1u);
}

TEST(RdapJobResult, ARedirectToAnotherServerIsTheNextHopWithoutARecord) {
  HttpAnswer a = Http(302, "");
  a.location = "https://rdap.arin.net/registry/ip/13.64.0.1";
  schema::JobResult r = RdapJobResult(RdapJob("https://rdap.db.ripe.net/ip/13.64.0.1", "ip"), a);
  EXPECT_TRUE(r.error.empty());
  EXPECT_EQ(r.referral_url, a.location);
  EXPECT_EQ(r.referral_host, "rdap.arin.net");
  EXPECT_TRUE(r.record.rawdata.empty());
  // A redirect without a usable Location is an error, not a silent end.
  a.location = "ftp://elsewhere/x";
  r = RdapJobResult(RdapJob("https://rdap.db.ripe.net/ip/13.64.0.1", "ip"), a);
  EXPECT_EQ(r.error, "server_error");
}

TEST(RdapJobResult, BootstrapFilesAreKeptRaw) {
  std::string json = R"({"version":"1.0","publication":"2026-11-01T00:00:00Z","services":[]})";
  schema::JobResult r =
      RdapJobResult(RdapJob("https://data.iana.org/rdap/dns.json", "bootstrap"), Http(200, json + "\n"));
  EXPECT_TRUE(r.error.empty());
  ASSERT_FALSE(r.record.rawdata.empty());
  EXPECT_EQ(r.record.rawdata[0], json);
  r = RdapJobResult(RdapJob("https://data.iana.org/rdap/asn.json", "bootstrap"), Http(404, "nope"));
  EXPECT_EQ(r.error, "not_found");
}

}  // namespace
}  // namespace whoisq::worker
