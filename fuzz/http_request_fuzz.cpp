// The control API's input paths that need no socket: the request target and query,
// the stream filter, the JSON body check, the token check, the WebSocket handshake
// checks and the frame decoder fed in arbitrary splits. Nothing may crash, and the
// decoder must never hold more than one frame header plus its message limit beyond the
// bytes of one feed.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "adapters/http/request_input.h"
#include "adapters/http/stream_message.h"
#include "adapters/http/websocket_frames.h"
#include "adapters/http/websocket_handshake.h"

namespace {

constexpr std::size_t kMaxMessage = 4096;

void fuzz_request_input(std::string_view text) {
  const er::http::Target target = er::http::parse_target(text);
  const er::http::StreamFilter filter = er::http::StreamFilter::from_query(target.query);
  (void)filter.accepts(target.path, text);
  (void)er::http::check_json_body(text);
  (void)er::http::bearer_token_matches(text, "token");
  (void)er::http::parse_content_length(text);
}

void fuzz_handshake(std::string_view text) {
  (void)er::http::base64_decode(text);
  (void)er::http::header_has_token(text, "upgrade");
  (void)er::http::check_upgrade_request({"GET", "HTTP/1.1", "websocket", "Upgrade", "13", text});
}

// The first byte chooses the split size and whether frames must be masked.
void fuzz_frames(std::string_view bytes) {
  if (bytes.empty()) return;
  const auto control = static_cast<std::uint8_t>(bytes[0]);
  bytes.remove_prefix(1);
  const std::size_t split = 1 + (control & 0x3F);
  er::http::FrameDecoder decoder({kMaxMessage, (control & 0x40) != 0});
  er::http::WsMessage message;
  for (std::size_t at = 0; at < bytes.size(); at += split) {
    decoder.feed(bytes.substr(at, split));
    er::http::FrameDecoder::Status status;
    while ((status = decoder.next(message)) == er::http::FrameDecoder::Status::Message) {
      if (message.payload.size() > kMaxMessage) std::abort();
    }
    if (status == er::http::FrameDecoder::Status::Error) return;
    if (decoder.buffered() > 14 + kMaxMessage + split) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  fuzz_request_input(text);
  fuzz_handshake(text);
  fuzz_frames(text);
  return 0;
}
