#pragma once
// WebSocket frames (RFC 6455, section 5) as bytes: an encoder for what the server sends
// and an incremental decoder for what clients send. Pure: no sockets, so it is
// unit-tested and fuzzed; the stream hub and the tests' client both use it.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace er::http {

enum class WsOpcode : std::uint8_t {
  Continuation = 0x0,
  Text = 0x1,
  Binary = 0x2,
  Close = 0x8,
  Ping = 0x9,
  Pong = 0xA,
};

/// Close codes the server sends (RFC 6455, 7.4.1).
enum class WsCloseCode : std::uint16_t {
  Normal = 1000,
  GoingAway = 1001,        ///< the server stops
  ProtocolError = 1002,    ///< a malformed frame
  TooBig = 1009,           ///< a message over the limit
  PolicyViolation = 1008,  ///< too slow to take the messages
};

/// One frame as the server sends it: final, unmasked.
std::string encode_frame(WsOpcode opcode, std::string_view payload);

/// One frame as a client sends it: masked with `mask` (RFC 6455 requires clients to
/// mask). `final` false makes a fragment. For test clients and the fuzzer.
std::string encode_masked_frame(WsOpcode opcode, std::string_view payload, std::array<std::uint8_t, 4> mask,
                                bool final = true);

/// The payload of a Close frame: the code in network order and a reason (cut to fit the
/// 125 bytes of a control frame).
std::string close_payload(WsCloseCode code, std::string_view reason);

/// A whole message (fragments joined) or a control frame, as the decoder yields it.
struct WsMessage {
  WsOpcode opcode = WsOpcode::Text;  ///< Text, Binary, Close, Ping or Pong
  std::string payload;
};

/// Reassembles messages from the bytes of one connection, in any split. Any violation
/// (reserved bits, unknown opcode, an unmasked client frame, a fragmented or long
/// control frame, a continuation with nothing to continue, a message over the limit) is
/// an error after which the decoder yields nothing more: the connection must be closed
/// with error_code().
class FrameDecoder {
 public:
  struct Limits {
    std::size_t max_message = 64 * 1024;  ///< a whole message, fragments together
    bool require_mask = true;             ///< true for the server (clients must mask)
  };

  enum class Status { NeedMore, Message, Error };

  explicit FrameDecoder(Limits limits) : limits_(limits) {}

  /// Appends received bytes.
  void feed(std::string_view bytes);
  /// Takes the next complete message into `out` (Message), or says that more bytes are
  /// needed (NeedMore) or that the stream is broken (Error, and from then on always).
  Status next(WsMessage& out);

  [[nodiscard]] WsCloseCode error_code() const { return error_code_; }
  [[nodiscard]] const std::string& error() const { return error_; }
  /// Bytes fed and not yet consumed (bounded by one frame header plus max_message).
  [[nodiscard]] std::size_t buffered() const { return buffer_.size() - offset_; }

 private:
  struct Header {
    bool final = false;
    WsOpcode opcode = WsOpcode::Text;
    bool masked = false;
    std::array<std::uint8_t, 4> mask{};
    std::uint64_t length = 0;
    std::size_t size = 0;  ///< bytes of the header itself
  };

  bool read_header(Header& header);
  bool check_header(const Header& header);
  bool take_frame(const Header& header, WsMessage& out);
  bool reject(WsCloseCode code, std::string message);

  Limits limits_;
  std::string buffer_;
  std::size_t offset_ = 0;
  bool in_fragmented_ = false;  ///< a Text or Binary message awaits its continuations
  WsMessage partial_;
  std::string error_;
  WsCloseCode error_code_ = WsCloseCode::Normal;
};

}  // namespace er::http
