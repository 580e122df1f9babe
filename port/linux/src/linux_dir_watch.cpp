#include "port/linux_dir_watch.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <thread>

namespace luasys {

namespace {

constexpr std::uint32_t kWatchedEvents =
    IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO;

}  // namespace

struct LinuxDirWatch::State {
  Callback on_change;
  int inotify_fd = -1;
  int stop_fd = -1;  // An eventfd the destructor writes to end the thread.
  std::string error;
  std::thread thread;

  ~State() {
    if (inotify_fd >= 0) ::close(inotify_fd);
    if (stop_fd >= 0) ::close(stop_fd);
  }

  bool open(const std::string& dir) {
    inotify_fd = ::inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
    stop_fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (inotify_fd < 0 || stop_fd < 0) {
      error = std::string("cannot watch '") + dir + "': " + std::strerror(errno);
      return false;
    }
    if (::inotify_add_watch(inotify_fd, dir.c_str(), kWatchedEvents) < 0) {
      error = std::string("cannot watch '") + dir + "': " + std::strerror(errno);
      return false;
    }
    return true;
  }

  // Reads what inotify has and reports each named event.
  void drain() {
    alignas(struct inotify_event) std::array<char, 4096> buffer{};
    for (;;) {
      const ssize_t size = ::read(inotify_fd, buffer.data(), buffer.size());
      if (size <= 0) return;  // EAGAIN: all read.
      for (ssize_t at = 0; at < size;) {
        const auto* event = reinterpret_cast<const struct inotify_event*>(buffer.data() + at);
        if (event->len > 0) on_change(std::string(event->name));
        at += static_cast<ssize_t>(sizeof(struct inotify_event) + event->len);
      }
    }
  }

  void run() {
    std::array<struct pollfd, 2> fds{{{inotify_fd, POLLIN, 0}, {stop_fd, POLLIN, 0}}};
    for (;;) {
      if (::poll(fds.data(), fds.size(), -1) < 0) {
        if (errno == EINTR) continue;
        return;
      }
      if (fds[1].revents != 0) return;
      if (fds[0].revents != 0) drain();
    }
  }
};

LinuxDirWatch::LinuxDirWatch(const std::string& dir, Callback on_change) : state_(std::make_unique<State>()) {
  state_->on_change = std::move(on_change);
  if (!state_->open(dir)) return;
  state_->thread = std::thread([state = state_.get()] { state->run(); });
}

LinuxDirWatch::~LinuxDirWatch() {
  if (state_->thread.joinable()) {
    const std::uint64_t one = 1;
    [[maybe_unused]] const ssize_t written = ::write(state_->stop_fd, &one, sizeof one);
    state_->thread.join();
  }
}

bool LinuxDirWatch::ok() const { return state_->error.empty(); }
const std::string& LinuxDirWatch::error() const { return state_->error; }

}  // namespace luasys
