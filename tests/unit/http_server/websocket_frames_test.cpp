#include "adapters/http/websocket_frames.h"

#include <gtest/gtest.h>

using namespace er::http;

namespace {

constexpr std::array<std::uint8_t, 4> kMask{0xA1, 0xB2, 0xC3, 0xD4};

FrameDecoder server_decoder(std::size_t max_message = 1024) { return FrameDecoder({max_message, true}); }

}  // namespace

TEST(http_server_websocket_frames, ServerFramesUseTheShortestLength) {
  EXPECT_EQ(encode_frame(WsOpcode::Text, "hi"), std::string("\x81\x02hi", 4));
  const std::string medium = encode_frame(WsOpcode::Text, std::string(300, 'x'));
  EXPECT_EQ(medium.substr(0, 4), std::string("\x81\x7E\x01\x2C", 4));
  const std::string large = encode_frame(WsOpcode::Binary, std::string(70000, 'x'));
  EXPECT_EQ(large.substr(0, 10), std::string("\x82\x7F\x00\x00\x00\x00\x00\x01\x11\x70", 10));
}

TEST(http_server_websocket_frames, MaskedFramesDecodeInAnySplit) {
  const std::string bytes = encode_masked_frame(WsOpcode::Text, "hello, stream", kMask) +
                            encode_masked_frame(WsOpcode::Ping, "p", kMask);
  for (std::size_t split = 0; split <= bytes.size(); ++split) {
    FrameDecoder decoder = server_decoder();
    WsMessage message;
    decoder.feed(bytes.substr(0, split));
    std::vector<WsMessage> got;
    while (decoder.next(message) == FrameDecoder::Status::Message) got.push_back(message);
    decoder.feed(bytes.substr(split));
    while (decoder.next(message) == FrameDecoder::Status::Message) got.push_back(message);
    ASSERT_EQ(got.size(), 2U) << "split at " << split;
    EXPECT_EQ(got[0].payload, "hello, stream");
    EXPECT_EQ(got[1].opcode, WsOpcode::Ping);
    EXPECT_EQ(decoder.buffered(), 0U);
  }
}

TEST(http_server_websocket_frames, FragmentsJoinAndControlFramesMayComeBetween) {
  FrameDecoder decoder = server_decoder();
  decoder.feed(encode_masked_frame(WsOpcode::Text, "one ", kMask, false) + encode_masked_frame(WsOpcode::Ping, "", kMask) +
               encode_masked_frame(WsOpcode::Continuation, "two", kMask, true));
  WsMessage message;
  ASSERT_EQ(decoder.next(message), FrameDecoder::Status::Message);
  EXPECT_EQ(message.opcode, WsOpcode::Ping);
  ASSERT_EQ(decoder.next(message), FrameDecoder::Status::Message);
  EXPECT_EQ(message.opcode, WsOpcode::Text);
  EXPECT_EQ(message.payload, "one two");
  EXPECT_EQ(decoder.next(message), FrameDecoder::Status::NeedMore);
}

TEST(http_server_websocket_frames, UnmaskedClientFrameIsAProtocolError) {
  FrameDecoder decoder = server_decoder();
  decoder.feed(encode_frame(WsOpcode::Text, "x"));
  WsMessage message;
  EXPECT_EQ(decoder.next(message), FrameDecoder::Status::Error);
  EXPECT_EQ(decoder.error_code(), WsCloseCode::ProtocolError);
  EXPECT_EQ(decoder.error(), "client frame not masked");
  decoder.feed(encode_masked_frame(WsOpcode::Text, "y", kMask));
  EXPECT_EQ(decoder.next(message), FrameDecoder::Status::Error);  // and stays broken
}

TEST(http_server_websocket_frames, OversizedMessageIsRefusedFromItsHeader) {
  FrameDecoder decoder = server_decoder(100);
  // Only the header of a frame that declares 2^40 bytes: refused before any payload.
  decoder.feed(std::string("\x81\xFF\x00\x00\x01\x00\x00\x00\x00\x00", 10) + std::string(4, '\0'));
  WsMessage message;
  EXPECT_EQ(decoder.next(message), FrameDecoder::Status::Error);
  EXPECT_EQ(decoder.error_code(), WsCloseCode::TooBig);
}

TEST(http_server_websocket_frames, FragmentsTogetherOverTheLimitAreRefused) {
  FrameDecoder decoder = server_decoder(10);
  decoder.feed(encode_masked_frame(WsOpcode::Text, "123456", kMask, false) +
               encode_masked_frame(WsOpcode::Continuation, "789012", kMask, false));
  WsMessage message;
  EXPECT_EQ(decoder.next(message), FrameDecoder::Status::Error);
  EXPECT_EQ(decoder.error_code(), WsCloseCode::TooBig);
}

TEST(http_server_websocket_frames, ProtocolViolationsAreNamed) {
  const auto error_of = [](const std::string& bytes) {
    FrameDecoder decoder = server_decoder();
    decoder.feed(bytes);
    WsMessage message;
    return decoder.next(message) == FrameDecoder::Status::Error ? decoder.error() : std::string("no error");
  };
  std::string reserved = encode_masked_frame(WsOpcode::Text, "x", kMask);
  reserved[0] = static_cast<char>(reserved[0] | 0x40);
  EXPECT_EQ(error_of(reserved), "reserved bits set");
  std::string unknown = encode_masked_frame(WsOpcode::Text, "x", kMask);
  unknown[0] = static_cast<char>(0x83);
  EXPECT_EQ(error_of(unknown), "unknown opcode");
  EXPECT_EQ(error_of(encode_masked_frame(WsOpcode::Ping, "x", kMask, false)), "fragmented control frame");
  EXPECT_EQ(error_of(encode_masked_frame(WsOpcode::Ping, std::string(126, 'x'), kMask)), "control frame over 125 bytes");
  EXPECT_EQ(error_of(encode_masked_frame(WsOpcode::Continuation, "x", kMask)), "continuation without a message");
  EXPECT_EQ(error_of(encode_masked_frame(WsOpcode::Text, "x", kMask, false) + encode_masked_frame(WsOpcode::Text, "y", kMask)),
            "new message inside a fragmented one");
}

TEST(http_server_websocket_frames, ClosePayloadCarriesTheCodeAndACutReason) {
  const std::string payload = close_payload(WsCloseCode::GoingAway, std::string(200, 'r'));
  EXPECT_EQ(payload.size(), 125U);
  EXPECT_EQ(payload.substr(0, 2), std::string("\x03\xE9", 2));
}
