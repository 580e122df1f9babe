#include "arg_reader.h"

#include <ostream>

namespace er::cli {

bool ArgReader::next() {
  if (failed_ || index_ >= args_.size()) return false;
  current_ = args_[index_++];
  if (current_ == "--" && !options_ended_) {
    options_ended_ = true;
    return next();
  }
  return true;
}

bool ArgReader::is_option() const {
  return !options_ended_ && current_.size() > 1 && current_.front() == '-';
}

std::string_view ArgReader::name() const {
  const auto eq = current_.find('=');
  if (current_.starts_with("--") && eq != std::string_view::npos) return current_.substr(0, eq);
  return current_;
}

std::optional<std::string> ArgReader::value() {
  const auto eq = current_.find('=');
  if (current_.starts_with("--") && eq != std::string_view::npos) {
    return std::string(current_.substr(eq + 1));
  }
  if (index_ >= args_.size()) {
    fail(std::string(current_) + " needs a value");
    return std::nullopt;
  }
  return std::string(args_[index_++]);
}

void ArgReader::fail(const std::string& message) {
  if (!failed_) streams_.err << "eventrunner: " << message << '\n';
  failed_ = true;
}

}  // namespace er::cli
