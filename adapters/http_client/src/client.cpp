#include "adapters/http_client/client.h"

#include <curl/curl.h>

#include <memory>
#include <unordered_map>

#include "command.h"
#include "transfer.h"

namespace er::http_client {

namespace {

// The bus message er.http subscribes to (rules/lua/er/http.lua M.BUS_MESSAGE).
constexpr luasys::StaticText kBusMessage{"er.http"};

// The longest the worker sleeps in curl_multi_poll when nothing happens; submit() and
// stop() wake it at once, so this only bounds a missed wake.
constexpr int kPollMs = 1000;

CURLM* as_multi(void* multi) { return static_cast<CURLM*>(multi); }

}  // namespace

HttpClient::HttpClient(luasys::Bus& bus) : bus_(bus) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
  multi_ = curl_multi_init();
}

HttpClient::~HttpClient() {
  stop();
  curl_multi_cleanup(as_multi(multi_));
  curl_global_cleanup();
}

std::uint64_t HttpClient::submit(Request request) {
  const std::uint64_t id = next_id_++;
  bus_.expect_reply();
  if (!request.command.empty()) {
    start_command(id, std::move(request));
    return id;
  }
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    queued_.emplace_back(id, std::move(request));
    ++counters_.requests;
    ++counters_.in_flight;
    if (!worker_.joinable() && !stopping_) worker_ = std::thread([this] { run_worker(); });
  }
  curl_multi_wakeup(as_multi(multi_));
  return id;
}

std::optional<Response> HttpClient::take(std::uint64_t id) {
  const std::lock_guard<std::mutex> lock(mutex_);
  auto found = finished_.find(id);
  if (found == finished_.end()) return std::nullopt;
  Response response = std::move(found->second);
  finished_.erase(found);
  bus_.reply_settled();
  return response;
}

void HttpClient::stop() {
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  curl_multi_wakeup(as_multi(multi_));
  if (worker_.joinable()) worker_.join();
  for (CommandThread& command : commands_) command.thread.join();  // Each ends by its timeout.
  commands_.clear();
}

void HttpClient::start_command(std::uint64_t id, Request request) {
  reap_commands();
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    ++counters_.requests;
    ++counters_.in_flight;
  }
  auto done = std::make_shared<std::atomic<bool>>(false);
  std::thread thread([this, id, done, request = std::move(request)] {
    finish(id, run_command(request));
    done->store(true);
  });
  commands_.push_back(CommandThread{std::move(thread), std::move(done)});
}

// Joins the command threads that have finished, so that they do not pile up.
void HttpClient::reap_commands() {
  std::erase_if(commands_, [](CommandThread& command) {
    if (!command.done->load()) return false;
    command.thread.join();
    return true;
  });
}

HttpClient::Counters HttpClient::counters() {
  const std::lock_guard<std::mutex> lock(mutex_);
  return counters_;
}

// Worker thread: stores the result, then announces it. The bus waits for room rather
// than drop the announcement: a rule waits for it, and only a closed bus refuses.
void HttpClient::finish(std::uint64_t id, Response response) {
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    if (!response.error.empty()) ++counters_.failures;
    --counters_.in_flight;
    finished_.emplace(id, std::move(response));
  }
  luasys::Message message;
  message.id = kBusMessage;
  message.args = {static_cast<std::int64_t>(id), {}, {}, {}};
  message.argc = 1;
  bus_.post(std::move(message), luasys::kForever);
}

void HttpClient::run_worker() {
  CURLM* multi = as_multi(multi_);
  std::unordered_map<CURL*, std::unique_ptr<Transfer>> running;
  for (;;) {
    std::vector<std::pair<std::uint64_t, Request>> batch;
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      if (stopping_) break;
      batch.swap(queued_);
    }
    for (auto& [id, request] : batch) {
      auto transfer = std::make_unique<Transfer>(id, std::move(request));
      if (!transfer->setup_error().empty()) {
        finish(id, Response{0, transfer->setup_error(), {}, {}});
        continue;
      }
      curl_multi_add_handle(multi, transfer->easy());
      running.emplace(transfer->easy(), std::move(transfer));
    }
    int active = 0;
    curl_multi_perform(multi, &active);
    int left = 0;
    while (CURLMsg* done = curl_multi_info_read(multi, &left)) {
      if (done->msg != CURLMSG_DONE) continue;
      auto found = running.find(done->easy_handle);
      if (found == running.end()) continue;
      curl_multi_remove_handle(multi, done->easy_handle);
      finish(found->second->id(), found->second->finish(done->data.result));
      running.erase(found);
    }
    curl_multi_poll(multi, nullptr, 0, kPollMs, nullptr);
  }
  for (auto& [easy, transfer] : running) curl_multi_remove_handle(multi, easy);
}

}  // namespace er::http_client
