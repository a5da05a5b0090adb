#include "worker/rdap_hop.h"

#include <string>

#include "resolve/url.h"
#include "worker/parse/rdap.h"

namespace whoisq::worker {
namespace {

using schema::ErrorCode;

void SetError(schema::JobResult& r, ErrorCode code, std::string message) {
  r.error = schema::ErrorName(code);
  r.message = std::move(message);
}

// The server of a URL the next hop goes to.
void SetReferral(schema::JobResult& r, const std::string& url) {
  auto u = resolve::ParseUrl(url);
  if (!u.ok()) return;  // the broker would refuse it too; the record stands alone
  r.referral_url = u->ToString();
  r.referral_host = u->host;
  r.referral_port = u->port;
}

std::string Describe(const schema::Job& job, const HttpAnswer& a) {
  return job.host + " answered HTTP " + std::to_string(a.http_status);
}

}  // namespace

schema::JobResult RdapJobResult(const schema::Job& job, const HttpAnswer& answer) {
  schema::JobResult r;
  r.job_id = job.job_id;
  r.token_id = job.token.id;
  r.bytes = answer.body.size();
  r.elapsed_ms = answer.elapsed.count();
  r.http_status = answer.http_status;
  const int status = answer.http_status;
  const std::string url = answer.final_url.empty() ? job.args : answer.final_url;

  if (!answer.status.ok()) {
    SetError(r, answer.status.code(), answer.status.message());
  } else if (job.type == "bootstrap") {
    if (status == 200) {
      r.record.rawdata = schema::SplitLines(answer.body);
    } else {
      SetError(r, status == 404 ? ErrorCode::kNotFound : ErrorCode::kServerError, Describe(job, answer));
    }
  } else if (status >= 300 && status < 400) {
    if (answer.location.empty()) {
      SetError(r, ErrorCode::kServerError, Describe(job, answer) + " without a usable Location");
    } else {
      SetReferral(r, answer.location);
      if (r.referral_url.empty()) SetError(r, ErrorCode::kServerError, "bad Location " + answer.location);
    }
  } else if ((status >= 200 && status < 300) || status == 404 || status == 429) {
    auto parsed = parse::ParseRdap(answer.body, parse::RdapOptions{job.host, url, status});
    if (parsed.ok()) {
      r.record = std::move(parsed->record);
      if (status < 300 && !parsed->related_url.empty() && r.record.regrinfo.registered != "no") {
        SetReferral(r, parsed->related_url);
      }
    } else if (status == 200) {
      SetError(r, ErrorCode::kServerError, job.host + ": " + parsed.status().message());
    } else {
      // A 404 or 429 whose body is not RDAP JSON still says what it says.
      r.record.rawdata = schema::SplitLines(answer.body);
      r.record.protocol = "rdap";
      if (status == 404) r.record.regrinfo.registered = "no";
    }
    if (status == 429 || r.record.throttled) {
      r.record.throttled = true;
      r.referral_url.clear();
      r.referral_host.clear();
      SetError(r, ErrorCode::kThrottled,
               status == 429 ? Describe(job, answer) : job.host + " answered with a rate-limit notice");
      if (answer.retry_after_ms > 0) r.retry_after_ms = answer.retry_after_ms;
    }
  } else if (status == 403) {
    // Turned away; a ban for too many queries is a throttle (RIPE's
    // "%ERROR:201" text), which the scheduler backs off more gently from.
    auto parsed = parse::ParseRdap(answer.body, parse::RdapOptions{job.host, url, status});
    if (parsed.ok() && parsed->record.throttled) {
      r.record = std::move(parsed->record);
      SetError(r, ErrorCode::kThrottled, Describe(job, answer) + " with a rate-limit notice");
    } else {
      SetError(r, ErrorCode::kRefused, Describe(job, answer));
    }
  } else if (status == 400 || status == 422) {
    SetError(r, ErrorCode::kInvalidQuery, Describe(job, answer));
  } else {
    SetError(r, ErrorCode::kServerError, Describe(job, answer));
  }

  r.record.protocol = "rdap";
  r.record.regyinfo.servers = {schema::ServerHop{job.host, job.port, job.args, "rdap"}};
  r.record.regyinfo.type = job.type;
  if (r.record.rawdata.empty() && !answer.body.empty() && !r.error.empty()) {
    r.record.rawdata = schema::SplitLines(answer.body);
  }
  return r;
}

}  // namespace whoisq::worker
