#include "adapters/http/websocket_frames.h"

#include <utility>

namespace er::http {

namespace {

constexpr std::uint8_t kFinalBit = 0x80;
constexpr std::uint8_t kReservedBits = 0x70;
constexpr std::uint8_t kOpcodeBits = 0x0F;
constexpr std::uint8_t kMaskBit = 0x80;
constexpr std::size_t kMaxControlPayload = 125;

bool is_control(WsOpcode opcode) { return static_cast<std::uint8_t>(opcode) >= 0x8; }

bool is_known(std::uint8_t opcode) {
  return opcode <= 0x2 || (opcode >= 0x8 && opcode <= 0xA);
}

// The header of a frame: FIN and opcode, then the 7-bit length or 126/127 and the 16- or
// 64-bit length in network order (RFC 6455, 5.2).
std::string encode_header(WsOpcode opcode, std::size_t length, bool final, bool masked) {
  std::string header;
  header += static_cast<char>((final ? kFinalBit : 0) | static_cast<std::uint8_t>(opcode));
  const std::uint8_t mask_bit = masked ? kMaskBit : 0;
  if (length <= 125) {
    header += static_cast<char>(mask_bit | length);
  } else if (length <= 0xFFFF) {
    header += static_cast<char>(mask_bit | 126);
    header += static_cast<char>(length >> 8);
    header += static_cast<char>(length & 0xFF);
  } else {
    header += static_cast<char>(mask_bit | 127);
    for (int shift = 56; shift >= 0; shift -= 8) header += static_cast<char>((std::uint64_t{length} >> shift) & 0xFF);
  }
  return header;
}

std::uint8_t byte_at(std::string_view bytes, std::size_t index) { return static_cast<std::uint8_t>(bytes[index]); }

}  // namespace

std::string encode_frame(WsOpcode opcode, std::string_view payload) {
  std::string frame = encode_header(opcode, payload.size(), true, false);
  frame += payload;
  return frame;
}

std::string encode_masked_frame(WsOpcode opcode, std::string_view payload, std::array<std::uint8_t, 4> mask,
                                bool final) {
  std::string frame = encode_header(opcode, payload.size(), final, true);
  for (const std::uint8_t byte : mask) frame += static_cast<char>(byte);
  for (std::size_t i = 0; i < payload.size(); ++i) frame += static_cast<char>(byte_at(payload, i) ^ mask[i % 4]);
  return frame;
}

std::string close_payload(WsCloseCode code, std::string_view reason) {
  const auto value = static_cast<std::uint16_t>(code);
  std::string payload;
  payload += static_cast<char>(value >> 8);
  payload += static_cast<char>(value & 0xFF);
  payload += reason.substr(0, kMaxControlPayload - 2);
  return payload;
}

void FrameDecoder::feed(std::string_view bytes) {
  if (!error_.empty()) return;
  if (offset_ == buffer_.size()) {
    buffer_.clear();
    offset_ = 0;
  } else if (offset_ > 65536) {
    buffer_.erase(0, offset_);  // Keeps the buffer from growing with consumed bytes.
    offset_ = 0;
  }
  buffer_ += bytes;
}

FrameDecoder::Status FrameDecoder::next(WsMessage& out) {
  while (error_.empty()) {
    Header header;
    if (!read_header(header)) return Status::NeedMore;
    if (!check_header(header)) return Status::Error;
    if (buffered() < header.size + header.length) return Status::NeedMore;
    if (take_frame(header, out)) return Status::Message;
    // A fragment was taken without completing a message: look at the next frame.
  }
  return Status::Error;
}

// Reads the frame header at the front of the buffer; false when it is not all there yet.
bool FrameDecoder::read_header(Header& header) {
  const std::string_view bytes = std::string_view(buffer_).substr(offset_);
  if (bytes.size() < 2) return false;
  header.final = (byte_at(bytes, 0) & kFinalBit) != 0;
  header.opcode = static_cast<WsOpcode>(byte_at(bytes, 0) & kOpcodeBits);
  header.masked = (byte_at(bytes, 1) & kMaskBit) != 0;
  const std::uint8_t short_length = byte_at(bytes, 1) & 0x7F;
  const std::size_t length_bytes = short_length == 126 ? 2 : short_length == 127 ? 8 : 0;
  header.size = 2 + length_bytes + (header.masked ? 4 : 0);
  if (bytes.size() < header.size) return false;
  header.length = length_bytes == 0 ? short_length : 0;
  for (std::size_t i = 0; i < length_bytes; ++i) header.length = (header.length << 8) | byte_at(bytes, 2 + i);
  for (std::size_t i = 0; header.masked && i < 4; ++i) header.mask[i] = byte_at(bytes, 2 + length_bytes + i);
  return true;
}

// Refuses a frame as soon as its header is known, so a frame declaring a huge length is
// refused before any of its payload is buffered.
bool FrameDecoder::check_header(const Header& header) {
  const auto raw_first = static_cast<std::uint8_t>(buffer_[offset_]);
  if ((raw_first & kReservedBits) != 0) return reject(WsCloseCode::ProtocolError, "reserved bits set");
  if (!is_known(raw_first & kOpcodeBits)) return reject(WsCloseCode::ProtocolError, "unknown opcode");
  if (limits_.require_mask && !header.masked) {
    return reject(WsCloseCode::ProtocolError, "client frame not masked");
  }
  if (is_control(header.opcode)) {
    if (!header.final) return reject(WsCloseCode::ProtocolError, "fragmented control frame");
    if (header.length > kMaxControlPayload) {
      return reject(WsCloseCode::ProtocolError, "control frame over 125 bytes");
    }
    return true;
  }
  const bool continuation = header.opcode == WsOpcode::Continuation;
  if (continuation != in_fragmented_) {
    return reject(WsCloseCode::ProtocolError, continuation ? "continuation without a message"
                                                         : "new message inside a fragmented one");
  }
  const std::uint64_t so_far = continuation ? partial_.payload.size() : 0;
  if (header.length > limits_.max_message || so_far + header.length > limits_.max_message) {
    return reject(WsCloseCode::TooBig, "message over " + std::to_string(limits_.max_message) + " bytes");
  }
  return true;
}

// Takes the frame's payload (all of it is buffered): a control frame or a final fragment
// completes a message in `out` (true); an earlier fragment is kept in partial_.
bool FrameDecoder::take_frame(const Header& header, WsMessage& out) {
  const auto length = static_cast<std::size_t>(header.length);
  std::string payload = buffer_.substr(offset_ + header.size, length);
  for (std::size_t i = 0; header.masked && i < payload.size(); ++i) {
    payload[i] = static_cast<char>(static_cast<std::uint8_t>(payload[i]) ^ header.mask[i % 4]);
  }
  offset_ += header.size + length;
  if (is_control(header.opcode)) {
    out = WsMessage{header.opcode, std::move(payload)};
    return true;
  }
  if (header.opcode != WsOpcode::Continuation) partial_ = WsMessage{header.opcode, {}};
  partial_.payload += payload;
  in_fragmented_ = !header.final;
  if (in_fragmented_) return false;
  out = std::move(partial_);
  partial_ = WsMessage{};
  return true;
}

bool FrameDecoder::reject(WsCloseCode code, std::string message) {
  error_code_ = code;
  error_ = std::move(message);
  return false;
}

}  // namespace er::http
