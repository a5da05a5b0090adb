// Certificates for TLS tests, made in-process with OpenSSL: a fresh CA and a
// server certificate it signs, written as PEM files.
#pragma once

#include <string>
#include <vector>

namespace whoisq::testing {

// PEM files written in the folder given to MakeTestPki.
struct TestPki {
  std::string ca_cert_file;  // dir/ca.pem: the CA to trust; empty for a self-signed leaf
  std::string cert_file;     // dir/cert.pem: the leaf certificate
  std::string key_file;      // dir/key.pem: the leaf's private key (unencrypted)
};

// Makes a CA (EC P-256, CA:true) and a leaf for `dns_names` (SAN DNS entries,
// the first also the CN; serverAuth) signed by it, valid [now-1d, now+30d];
// with `expired`, valid [now-30d, now-1d]. Creates `dir` if needed and
// overwrites the files. Returns false and sets `*error` on failure.
bool MakeTestPki(const std::string& dir, const std::vector<std::string>& dns_names, TestPki* out,
                 std::string* error, bool expired = false);

// As MakeTestPki, but the leaf signs itself and there is no CA
// (ca_cert_file stays empty): a certificate no client trusts.
bool MakeSelfSignedTestPki(const std::string& dir, const std::vector<std::string>& dns_names,
                           TestPki* out, std::string* error);

}  // namespace whoisq::testing
