#include "tests/support/test_pki.h"

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <filesystem>
#include <memory>

namespace whoisq::testing {
namespace {

constexpr long kDay = 24 * 3600;

template <class T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using CertPtr = std::unique_ptr<X509, Deleter<X509, X509_free>>;

// Thrown inside this file only, caught by the public functions.
struct PkiError {
  std::string message;
};

[[noreturn]] void Fail(const std::string& what) {
  std::string message = what;
  while (const unsigned long code = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(code, buf, sizeof buf);
    message += std::string(": ") + buf;
  }
  throw PkiError{message};
}

void Check(int ok, const char* what) {
  if (ok != 1) Fail(what);
}

KeyPtr NewKey() {
  KeyPtr key(EVP_EC_gen("P-256"));
  if (!key) Fail("EC P-256 key generation");
  return key;
}

void SetName(X509_NAME* name, const std::string& common_name) {
  Check(X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                                   reinterpret_cast<const unsigned char*>("whoisq tests"), -1, -1, 0),
        "subject O");
  Check(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char*>(common_name.c_str()), -1,
                                   -1, 0),
        "subject CN");
}

void AddExtension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  if (!ext) Fail("extension " + std::string(OBJ_nid2sn(nid)) + " = " + value);
  const int ok = X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
  Check(ok, "X509_add_ext");
}

// A v3 certificate for `key` named `common_name`, valid [now+from, now+to]
// (seconds), not yet signed and without extensions.
CertPtr NewCert(EVP_PKEY* key, const std::string& common_name, long from, long to) {
  CertPtr cert(X509_new());
  if (!cert) Fail("X509_new");
  Check(X509_set_version(cert.get(), 2), "X509_set_version");
  unsigned char serial_bytes[16];
  Check(RAND_bytes(serial_bytes, sizeof serial_bytes), "RAND_bytes");
  serial_bytes[0] &= 0x7f;  // positive
  BIGNUM* serial = BN_bin2bn(serial_bytes, sizeof serial_bytes, nullptr);
  if (!serial || !BN_to_ASN1_INTEGER(serial, X509_get_serialNumber(cert.get()))) {
    BN_free(serial);
    Fail("serial number");
  }
  BN_free(serial);
  if (!X509_gmtime_adj(X509_getm_notBefore(cert.get()), from) ||
      !X509_gmtime_adj(X509_getm_notAfter(cert.get()), to)) {
    Fail("validity");
  }
  SetName(X509_get_subject_name(cert.get()), common_name);
  Check(X509_set_pubkey(cert.get(), key), "X509_set_pubkey");
  return cert;
}

void Sign(X509* cert, X509* issuer, EVP_PKEY* issuer_key) {
  Check(X509_set_issuer_name(cert, X509_get_subject_name(issuer)), "X509_set_issuer_name");
  if (X509_sign(cert, issuer_key, EVP_sha256()) <= 0) Fail("X509_sign");
}

// The leaf's extensions, with `issuer` as the authority (itself if self-signed).
void AddLeafExtensions(X509* leaf, X509* issuer, const std::vector<std::string>& dns_names) {
  std::string san;
  for (const std::string& name : dns_names) san += (san.empty() ? "DNS:" : ",DNS:") + name;
  AddExtension(leaf, issuer, NID_basic_constraints, "critical,CA:FALSE");
  AddExtension(leaf, issuer, NID_key_usage, "critical,digitalSignature");
  AddExtension(leaf, issuer, NID_ext_key_usage, "serverAuth");
  AddExtension(leaf, issuer, NID_subject_alt_name, san);
  AddExtension(leaf, issuer, NID_subject_key_identifier, "hash");
}

void WritePem(const std::string& path, X509* cert, EVP_PKEY* key) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) Fail("cannot write " + path);
  const int ok = cert ? PEM_write_X509(f, cert)
                      : PEM_write_PrivateKey(f, key, nullptr, nullptr, 0, nullptr, nullptr);
  if (std::fclose(f) != 0 || ok != 1) Fail("cannot write " + path);
}

void Prepare(const std::string& dir, const std::vector<std::string>& dns_names, TestPki* out) {
  if (dns_names.empty()) throw PkiError{"no DNS names for the certificate"};
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw PkiError{"cannot create " + dir + ": " + ec.message()};
  *out = TestPki{};
  out->cert_file = dir + "/cert.pem";
  out->key_file = dir + "/key.pem";
}

}  // namespace

bool MakeTestPki(const std::string& dir, const std::vector<std::string>& dns_names, TestPki* out,
                 std::string* error, bool expired) {
  try {
    Prepare(dir, dns_names, out);
    KeyPtr ca_key = NewKey();
    CertPtr ca = NewCert(ca_key.get(), "whoisq test CA", -kDay, 30 * kDay);
    AddExtension(ca.get(), ca.get(), NID_basic_constraints, "critical,CA:TRUE");
    AddExtension(ca.get(), ca.get(), NID_key_usage, "critical,keyCertSign,cRLSign");
    AddExtension(ca.get(), ca.get(), NID_subject_key_identifier, "hash");
    Sign(ca.get(), ca.get(), ca_key.get());

    KeyPtr key = NewKey();
    CertPtr leaf = expired ? NewCert(key.get(), dns_names.front(), -30 * kDay, -kDay)
                           : NewCert(key.get(), dns_names.front(), -kDay, 30 * kDay);
    AddLeafExtensions(leaf.get(), ca.get(), dns_names);
    AddExtension(leaf.get(), ca.get(), NID_authority_key_identifier, "keyid:always");
    Sign(leaf.get(), ca.get(), ca_key.get());

    out->ca_cert_file = dir + "/ca.pem";
    WritePem(out->ca_cert_file, ca.get(), nullptr);
    WritePem(out->cert_file, leaf.get(), nullptr);
    WritePem(out->key_file, nullptr, key.get());
    return true;
  } catch (const PkiError& e) {
    *error = "test PKI in " + dir + ": " + e.message;
    return false;
  }
}

bool MakeSelfSignedTestPki(const std::string& dir, const std::vector<std::string>& dns_names,
                           TestPki* out, std::string* error) {
  try {
    Prepare(dir, dns_names, out);
    KeyPtr key = NewKey();
    CertPtr leaf = NewCert(key.get(), dns_names.front(), -kDay, 30 * kDay);
    AddLeafExtensions(leaf.get(), leaf.get(), dns_names);
    Sign(leaf.get(), leaf.get(), key.get());
    WritePem(out->cert_file, leaf.get(), nullptr);
    WritePem(out->key_file, nullptr, key.get());
    return true;
  } catch (const PkiError& e) {
    *error = "test PKI in " + dir + ": " + e.message;
    return false;
  }
}

}  // namespace whoisq::testing
