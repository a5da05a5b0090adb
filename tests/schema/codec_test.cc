#include "schema/codec.h"

#include <gtest/gtest.h>

#include "schema/messages.h"

namespace whoisq::schema {
namespace {

TEST(Codec, LookupRequestRoundTrips) {
  LookupRequest in;
  in.id = "r-1";
  in.query = "https://www.example.com/x";
  in.deadline_ms = 1700000000123;
  in.fresh = true;
  auto out = Unpack<LookupRequest>(Pack(in));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->id, "r-1");
  EXPECT_EQ(out->query, in.query);
  EXPECT_EQ(out->deadline_ms, in.deadline_ms);
  EXPECT_TRUE(out->fresh);
  EXPECT_EQ(out->v, kMessageVersion);
}

TEST(Codec, ReplyWithRecordRoundTrips) {
  LookupReply in;
  in.id = "7";
  in.outcome = std::string(outcome::kOk);
  in.record.rawdata = {"Domain Name: EXAMPLE.COM", ""};
  in.record.regrinfo.registered = "yes";
  in.record.regrinfo.domain.nserver = {{"a.iana-servers.net", ""}};
  in.record.regrinfo.as.inetnum = "AS15169";
  in.record.regrinfo.network.mnt_by = {"MNT-X"};
  in.record.regrinfo.owner.redacted = {"name"};
  in.record.regyinfo.servers.push_back({"whois.iana.org", 43, "com", "whois"});
  auto out = Unpack<LookupReply>(Pack(in));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->record.rawdata, in.record.rawdata);
  EXPECT_EQ(out->record.regrinfo.domain.nserver, in.record.regrinfo.domain.nserver);
  EXPECT_EQ(out->record.regrinfo.as.inetnum, "AS15169");
  EXPECT_EQ(out->record.regrinfo.network.mnt_by, in.record.regrinfo.network.mnt_by);
  EXPECT_EQ(out->record.regrinfo.owner.redacted, in.record.regrinfo.owner.redacted);
  ASSERT_EQ(out->record.regyinfo.servers.size(), 1u);
  EXPECT_EQ(out->record.regyinfo.servers[0].args, "com");
}

TEST(Codec, UsesFieldNamesAsMapKeys) {
  // Clients in other languages rely on the keyed form (README "Protocol").
  Network n;
  n.mnt_by = {"X"};
  msgpack::object_handle h = msgpack::unpack(Pack(n).data(), Pack(n).size());
  auto map = h.get().as<std::map<std::string, msgpack::object>>();
  EXPECT_TRUE(map.count("mnt-by"));
  EXPECT_TRUE(map.count("inetnum"));
}

TEST(Codec, MalformedBytesGiveTypedError) {
  for (std::string bytes : {std::string(""), std::string("\xc1"), std::string("\x93\x01\x02"),
                            std::string("\x81\xa2id\x05"), std::string(1000, '\xff')}) {
    auto out = Unpack<LookupRequest>(bytes);
    EXPECT_FALSE(out.ok()) << "input size " << bytes.size();
    if (!out.ok()) EXPECT_EQ(out.status().code(), ErrorCode::kMalformed);
  }
}

TEST(Codec, IgnoresUnknownKeysAndKeepsDefaults) {
  std::map<std::string, msgpack::type::variant> m;
  msgpack::sbuffer buf;
  msgpack::packer<msgpack::sbuffer> pk(buf);
  pk.pack_map(3);
  pk.pack(std::string("id"));
  pk.pack(std::string("x"));
  pk.pack(std::string("query"));
  pk.pack(std::string("example.org"));
  pk.pack(std::string("from_the_future"));
  pk.pack(42);
  auto out = Unpack<LookupRequest>(std::string_view(buf.data(), buf.size()));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->query, "example.org");
  EXPECT_FALSE(out->fresh);
  EXPECT_EQ(out->deadline_ms, 0);
}

TEST(Frames, RoundTripWithAndWithoutDelimiter) {
  Envelope e{std::string(kClientProtocol), std::string(cmd::kLookup), "body"};
  auto frames = ToFrames(e);
  ASSERT_EQ(frames.size(), 4u);
  auto back = FromFrames(frames, kClientProtocol);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->command, "LOOKUP");
  EXPECT_EQ(back->body, "body");
  frames.erase(frames.begin());
  EXPECT_TRUE(FromFrames(frames, kClientProtocol).ok());
}

TEST(Frames, RejectsWrongProtocolAndCounts) {
  auto wrong = FromFrames({"", "HTTP/1.1\r\n", "GET"}, kClientProtocol);
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.status().code(), ErrorCode::kUnsupported);
  EXPECT_EQ(wrong.status().message().find('\r'), std::string::npos);
  auto few = FromFrames({""}, kClientProtocol);
  ASSERT_FALSE(few.ok());
  EXPECT_EQ(few.status().code(), ErrorCode::kMalformed);
  auto many = FromFrames({"", "WQC1", "LOOKUP", "b", "extra"}, kClientProtocol);
  EXPECT_FALSE(many.ok());
}

TEST(ErrorNames, RoundTrip) {
  for (int i = 0; i <= static_cast<int>(ErrorCode::kServerError); ++i) {
    auto code = static_cast<ErrorCode>(i);
    EXPECT_EQ(ErrorFromName(ErrorName(code)), code) << i;
  }
  EXPECT_STREQ(ErrorName(ErrorCode::kQuotaExhausted), "quota_exhausted");
}

}  // namespace
}  // namespace whoisq::schema
