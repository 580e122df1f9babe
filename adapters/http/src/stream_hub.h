#pragma once
// The stream hub: one thread that owns every upgraded WebSocket connection. It polls
// their sockets and a wake eventfd, writes published messages as text frames (each
// client in publish order, from its own queue of shared encoded frames), answers pings
// and closes, and drops a client that falls more than max_stream_backlog bytes behind,
// so no client ever slows the engine or another client.

#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "adapters/http/server.h"
#include "adapters/http/websocket_frames.h"

struct MHD_UpgradeResponseHandle;

namespace er::http {

/// An upgraded connection handed over by the server thread.
struct HubClient {
  StreamInfo info;
  int fd = -1;  ///< owned by libmicrohttpd; the hub gives it back with MHD_UpgradeResponseHandle
  MHD_UpgradeResponseHandle* handle = nullptr;
  std::string extra_in;  ///< bytes the client sent right after the handshake
};

class StreamHub {
 public:
  StreamHub(const ServerOptions& options, RequestSink& sink);
  ~StreamHub();
  StreamHub(const StreamHub&) = delete;
  StreamHub& operator=(const StreamHub&) = delete;

  /// Starts the thread; an error message when it cannot.
  std::string start();
  /// Any thread. After stop() the client is closed at once.
  void add(HubClient client);
  /// Any thread; never blocks on a client.
  void publish(const StreamMessage& message);
  /// Closes every client (1001 "server stopping") and joins the thread. Idempotent.
  void stop();

 private:
  using Frame = std::shared_ptr<const std::string>;
  struct Published {
    std::string kind;
    std::string match_text;
    Frame frame;
  };
  using InboxItem = std::variant<HubClient, StreamMessage>;

  struct Connection {
    HubClient client;
    FrameDecoder decoder;
    std::deque<Frame> out;
    std::size_t out_offset = 0;  ///< bytes of out.front() already sent
    std::size_t out_bytes = 0;   ///< bytes queued and not sent
    std::string close_reason;    ///< not empty: release after this round
  };

  void run();
  std::vector<InboxItem> take_inbox();
  void apply(std::vector<InboxItem> items);
  void open(HubClient client);
  void deliver(const StreamMessage& message);
  void enqueue(Connection& connection, Frame frame);
  void read_from(Connection& connection);
  void drain_decoder(Connection& connection);
  void handle(Connection& connection, WsMessage message);
  void close_with(Connection& connection, WsCloseCode code, const std::string& reason);
  void flush(Connection& connection);
  void release_closed();
  void release(Connection& connection);
  void wake() const;

  const ServerOptions& options_;
  RequestSink& sink_;
  int wake_fd_ = -1;
  std::thread thread_;
  std::vector<std::unique_ptr<Connection>> connections_;  ///< hub thread only

  std::mutex mutex_;  ///< guards the members below
  std::vector<InboxItem> inbox_;
  std::size_t inbox_bytes_ = 0;
  std::size_t dropped_ = 0;      ///< messages refused since the last report
  std::size_t registered_ = 0;   ///< clients added and not yet released
  bool stopping_ = false;
};

}  // namespace er::http
