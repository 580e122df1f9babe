// Runs a notification command (docs/notifications.md, target type "command"): the
// argument list as it is, without a shell, so that no text of a message can become
// shell syntax. Its output is collected up to the request's cap; a command that runs
// past the timeout is killed.

#include "command.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <system_error>
#include <vector>

extern char** environ;

namespace er::http_client {

namespace {

using Clock = std::chrono::steady_clock;

std::string errno_text(int error) { return std::generic_category().message(error); }

// Starts `argv` with its standard output and error on `out_fd` and standard input from
// /dev/null; the pid, or -1 with errno's text in `*error`.
pid_t spawn(const std::vector<std::string>& argv, int out_fd, std::string* error) {
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_fd, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out_fd, STDERR_FILENO);
  pid_t pid = -1;
  const int result = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (result != 0) {
    *error = "cannot run '" + argv[0] + "': " + errno_text(result);
    return -1;
  }
  return pid;
}

// Reads `fd` until end of file or `deadline`; false at the deadline. Output beyond
// `cap` bytes is read and dropped, so a chatty command never blocks on a full pipe.
bool read_output(int fd, Clock::time_point deadline, std::size_t cap, std::string& out) {
  char buffer[4096];
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return false;
    pollfd ready{fd, POLLIN, 0};
    const int polled = ::poll(&ready, 1, static_cast<int>(left));
    if (polled < 0 && errno == EINTR) continue;
    if (polled == 0) return false;  // The deadline passed.
    if (polled < 0) return true;    // The pipe is unusable: stop reading, reap the command.
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return true;
    const auto count = static_cast<std::size_t>(n);
    if (out.size() < cap) out.append(buffer, std::min(count, cap - out.size()));
  }
}

Response finished(int status, std::string output, long timeout_ms, bool timed_out) {
  Response response;
  if (timed_out) {
    response.error = timeout_text(timeout_ms);
  } else if (WIFSIGNALED(status)) {
    response.error = "the command was killed by signal " + std::to_string(WTERMSIG(status));
  } else {
    response.status = WEXITSTATUS(status);
  }
  response.body = std::move(output);
  return response;
}

}  // namespace

Response run_command(const Request& request) {
  if (request.command.empty()) return Response{0, "a command needs at least a program", {}, {}};
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) return Response{0, "cannot run a command: " + errno_text(errno), {}, {}};
  std::string error;
  const pid_t pid = spawn(request.command, pipe_fds[1], &error);
  ::close(pipe_fds[1]);
  if (pid < 0) {
    ::close(pipe_fds[0]);
    return Response{0, error, {}, {}};
  }
  std::string output;
  const auto deadline = Clock::now() + std::chrono::milliseconds(request.timeout_ms);
  const bool ended = read_output(pipe_fds[0], deadline, request.max_body_bytes, output);
  ::close(pipe_fds[0]);
  if (!ended) ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return finished(status, std::move(output), request.timeout_ms, !ended);
}

}  // namespace er::http_client
