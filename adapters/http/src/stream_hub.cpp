#include "stream_hub.h"

#include <fcntl.h>
#include <microhttpd.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <utility>

namespace er::http {

namespace {

// Published messages waiting for the hub thread. Past this the hub has fallen hopelessly
// behind its publishers; every stream is closed rather than any message lost silently.
constexpr std::size_t kMaxInboxBytes = 16 * 1024 * 1024;
constexpr std::size_t kReadChunk = 16 * 1024;
constexpr int kReadsPerRound = 4;  // then other clients get their turn

void set_nonblocking(int fd) {
  const int flags = fcntl(fd, F_GETFL, 0);
  if (flags >= 0) fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

// The code a client's Close frame carries, to echo it (RFC 6455, 5.5.1).
std::string echo_of(const std::string& close_payload) { return close_payload.substr(0, 2); }

}  // namespace

StreamHub::StreamHub(const ServerOptions& options, RequestSink& sink) : options_(options), sink_(sink) {}

StreamHub::~StreamHub() {
  stop();
  if (wake_fd_ >= 0) close(wake_fd_);
}

std::string StreamHub::start() {
  wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wake_fd_ < 0) return std::string("cannot start the stream hub: ") + std::strerror(errno);
  thread_ = std::thread([this] { run(); });
  return {};
}

void StreamHub::add(HubClient client) {
  {
    const std::lock_guard lock(mutex_);
    if (!stopping_) {
      ++registered_;
      inbox_.emplace_back(std::move(client));
      wake();
      return;
    }
  }
  MHD_upgrade_action(client.handle, MHD_UPGRADE_ACTION_CLOSE);
}

void StreamHub::publish(const StreamMessage& message) {
  {
    const std::lock_guard lock(mutex_);
    if (stopping_ || registered_ == 0) return;
    if (inbox_bytes_ + message.json.size() > kMaxInboxBytes) {
      ++dropped_;  // The hub thread closes every stream (take_inbox).
      return;
    }
    inbox_bytes_ += message.json.size();
    inbox_.emplace_back(message);
  }
  wake();
}

void StreamHub::stop() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  if (!thread_.joinable()) return;
  wake();
  thread_.join();
}

void StreamHub::wake() const {
  const std::uint64_t one = 1;
  [[maybe_unused]] const ssize_t written = write(wake_fd_, &one, sizeof one);
}

// The hub thread: poll the clients and the wake eventfd, take what was added or
// published, read, write, and release the clients that are done.
void StreamHub::run() {
  std::vector<pollfd> fds;
  bool stopping = false;
  while (!stopping) {
    fds.assign(1, pollfd{wake_fd_, POLLIN, 0});
    for (const auto& connection : connections_) {
      const short events = static_cast<short>(POLLIN | (connection->out_bytes > 0 ? POLLOUT : 0));
      fds.push_back(pollfd{connection->client.fd, events, 0});
    }
    if (poll(fds.data(), fds.size(), -1) < 0 && errno != EINTR) sink_.on_log(std::string("stream hub: poll failed: ") + std::strerror(errno));
    std::uint64_t wakes = 0;
    [[maybe_unused]] const ssize_t taken = read(wake_fd_, &wakes, sizeof wakes);
    std::vector<InboxItem> items = take_inbox();
    {
      const std::lock_guard lock(mutex_);
      stopping = stopping_;
    }
    for (std::size_t i = 1; i < fds.size(); ++i) {
      Connection& connection = *connections_[i - 1];
      if ((fds[i].revents & (POLLIN | POLLHUP | POLLERR)) != 0) read_from(connection);
    }
    apply(std::move(items));
    for (const auto& connection : connections_) flush(*connection);
    release_closed();
  }
  for (const auto& connection : connections_) close_with(*connection, WsCloseCode::GoingAway, "server stopping");
  release_closed();
}

std::vector<StreamHub::InboxItem> StreamHub::take_inbox() {
  std::vector<InboxItem> items;
  std::size_t dropped = 0;
  {
    const std::lock_guard lock(mutex_);
    items.swap(inbox_);
    inbox_bytes_ = 0;
    std::swap(dropped, dropped_);
  }
  if (dropped == 0) return items;
  sink_.on_log("stream hub: fell " + std::to_string(kMaxInboxBytes) + " bytes behind its publishers (" +
               std::to_string(dropped) + " messages refused); closing every stream");
  for (const auto& connection : connections_) close_with(*connection, WsCloseCode::PolicyViolation, "server overloaded");
  std::erase_if(items, [](const InboxItem& item) { return std::holds_alternative<StreamMessage>(item); });
  return items;
}

void StreamHub::apply(std::vector<InboxItem> items) {
  for (InboxItem& item : items) {
    if (auto* client = std::get_if<HubClient>(&item)) {
      open(std::move(*client));
    } else {
      deliver(std::get<StreamMessage>(item));
    }
  }
}

void StreamHub::open(HubClient client) {
  set_nonblocking(client.fd);
  auto connection = std::make_unique<Connection>(Connection{
      std::move(client), FrameDecoder({options_.max_client_message, true}), {}, 0, 0, {}});
  sink_.on_stream_opened(connection->client.info);
  // The first message tells the client its stream is registered: everything published
  // from now on reaches it (a publish racing the upgrade may not).
  const std::string hello = R"({"kind":"hello","stream":)" + std::to_string(connection->client.info.id) + "}";
  enqueue(*connection, std::make_shared<const std::string>(encode_frame(WsOpcode::Text, hello)));
  connection->decoder.feed(connection->client.extra_in);
  connection->client.extra_in.clear();
  drain_decoder(*connection);
  connections_.push_back(std::move(connection));
}

void StreamHub::deliver(const StreamMessage& message) {
  Frame frame;  // Encoded once, shared by every client that takes it.
  for (const auto& connection : connections_) {
    if (!connection->close_reason.empty()) continue;
    if (!connection->client.info.filter.accepts(message.kind, message.match_text)) continue;
    if (!frame) frame = std::make_shared<const std::string>(encode_frame(WsOpcode::Text, message.json));
    enqueue(*connection, frame);
  }
}

void StreamHub::enqueue(Connection& connection, Frame frame) {
  connection.out_bytes += frame->size();
  connection.out.push_back(std::move(frame));
  if (connection.out_bytes <= options_.max_stream_backlog || !connection.close_reason.empty()) return;
  connection.close_reason = "too slow: more than " + std::to_string(options_.max_stream_backlog) + " bytes waiting";
  sink_.on_log("stream " + std::to_string(connection.client.info.id) + " to " + connection.client.info.peer +
               " dropped: " + connection.close_reason);
}

void StreamHub::read_from(Connection& connection) {
  std::array<char, kReadChunk> buffer{};
  for (int round = 0; round < kReadsPerRound && connection.close_reason.empty(); ++round) {
    const ssize_t count = recv(connection.client.fd, buffer.data(), buffer.size(), MSG_DONTWAIT);
    if (count > 0) {
      connection.decoder.feed(std::string_view(buffer.data(), static_cast<std::size_t>(count)));
      drain_decoder(connection);
      continue;
    }
    if (count < 0 && errno == EINTR) continue;
    if (count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    connection.close_reason = count == 0 ? "client disconnected" : std::string("read failed: ") + std::strerror(errno);
    connection.out.clear();
    connection.out_bytes = 0;
  }
}

void StreamHub::drain_decoder(Connection& connection) {
  WsMessage message;
  while (connection.close_reason.empty()) {
    const FrameDecoder::Status status = connection.decoder.next(message);
    if (status == FrameDecoder::Status::NeedMore) return;
    if (status == FrameDecoder::Status::Message) {
      handle(connection, std::move(message));
      continue;
    }
    sink_.on_log("stream " + std::to_string(connection.client.info.id) + " from " + connection.client.info.peer +
                 ": bad frame (" + connection.decoder.error() + ")");
    close_with(connection, connection.decoder.error_code(), connection.decoder.error());
  }
}

// What a client may send: pings (answered), pongs and data (ignored: the stream is one
// way), and a close (echoed, then the connection is released).
void StreamHub::handle(Connection& connection, WsMessage message) {
  if (message.opcode == WsOpcode::Ping) {
    connection.out.push_back(std::make_shared<const std::string>(encode_frame(WsOpcode::Pong, message.payload)));
    connection.out_bytes += connection.out.back()->size();
  } else if (message.opcode == WsOpcode::Close) {
    const std::string echo = encode_frame(WsOpcode::Close, echo_of(message.payload));
    connection.out.push_back(std::make_shared<const std::string>(echo));
    connection.out_bytes += echo.size();
    connection.close_reason = "client closed the stream";
  }
}

void StreamHub::close_with(Connection& connection, WsCloseCode code, const std::string& reason) {
  if (!connection.close_reason.empty()) return;
  const std::string frame = encode_frame(WsOpcode::Close, close_payload(code, reason));
  connection.out_bytes += frame.size();
  connection.out.push_back(std::make_shared<const std::string>(frame));
  connection.close_reason = reason;
}

// Writes what the socket takes now; the rest waits for POLLOUT.
void StreamHub::flush(Connection& connection) {
  while (!connection.out.empty()) {
    const std::string& front = *connection.out.front();
    const ssize_t sent = send(connection.client.fd, front.data() + connection.out_offset,
                              front.size() - connection.out_offset, MSG_DONTWAIT | MSG_NOSIGNAL);
    if (sent < 0 && errno == EINTR) continue;
    if (sent < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) return;
      if (connection.close_reason.empty()) connection.close_reason = std::string("write failed: ") + std::strerror(errno);
      connection.out.clear();
      connection.out_bytes = 0;
      return;
    }
    connection.out_offset += static_cast<std::size_t>(sent);
    connection.out_bytes -= static_cast<std::size_t>(sent);
    if (connection.out_offset < front.size()) return;
    connection.out.pop_front();
    connection.out_offset = 0;
  }
}

// Releases the clients marked for closing after one last attempt to write (the close
// frame); a client that does not take it is not waited for.
void StreamHub::release_closed() {
  std::erase_if(connections_, [this](const std::unique_ptr<Connection>& connection) {
    if (connection->close_reason.empty()) return false;
    flush(*connection);
    release(*connection);
    return true;
  });
}

void StreamHub::release(Connection& connection) {
  MHD_upgrade_action(connection.client.handle, MHD_UPGRADE_ACTION_CLOSE);
  sink_.on_stream_closed(connection.client.info.id, connection.close_reason);
  const std::lock_guard lock(mutex_);
  --registered_;
}

}  // namespace er::http
