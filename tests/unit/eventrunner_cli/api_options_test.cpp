// The API options of `eventrunner run` and the token and URL files beside the state
// file (app/eventrunner/api_options.h, api_files.h).

#include "api_options.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "api_files.h"

namespace er::cli {
namespace {

std::filesystem::path fresh_dir(const std::string& name) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

unsigned mode_of(const std::filesystem::path& path) {
  struct stat info {};
  ::stat(path.c_str(), &info);
  return info.st_mode & 0777U;
}

TEST(eventrunner_cli_api_options, endpoints_parse_with_ipv4_ipv6_and_names) {
  EXPECT_EQ(parse_endpoint("127.0.0.1:8321")->port, 8321);
  EXPECT_EQ(parse_endpoint("[::1]:0")->address, "::1");
  EXPECT_EQ(parse_endpoint("localhost:80")->address, "localhost");
  EXPECT_FALSE(parse_endpoint("127.0.0.1"));
  EXPECT_FALSE(parse_endpoint("127.0.0.1:"));
  EXPECT_FALSE(parse_endpoint(":80"));
  EXPECT_FALSE(parse_endpoint("host:65536"));
  EXPECT_FALSE(parse_endpoint("host:12ab"));
}

TEST(eventrunner_cli_api_options, real_time_runs_serve_by_default_and_virtual_ones_only_when_asked) {
  std::string error;
  const std::filesystem::path dir = fresh_dir("er_api_options_default");
  const std::string state = (dir / "home.db").string();
  const std::optional<ApiOptions> real = resolve_api_options({}, false, state, error);
  ASSERT_TRUE(real) << error;
  EXPECT_TRUE(real->enabled);
  EXPECT_TRUE(real->fallback_to_free_port);
  EXPECT_EQ(real->endpoint.port, kDefaultApiPort);
  EXPECT_EQ(real->url_file, state + ".url");
  EXPECT_FALSE(resolve_api_options({}, true, state, error)->enabled);
  ApiArgs asked;
  asked.http = "127.0.0.1:0";
  const std::optional<ApiOptions> virtual_run = resolve_api_options(asked, true, state, error);
  EXPECT_TRUE(virtual_run->enabled);
  EXPECT_FALSE(virtual_run->fallback_to_free_port);
  asked.http = "off";
  EXPECT_FALSE(resolve_api_options(asked, false, state, error)->enabled);
}

TEST(eventrunner_cli_api_options, the_token_is_created_private_and_then_reused) {
  std::string error;
  const std::filesystem::path dir = fresh_dir("er_api_options_token");
  const std::string state = (dir / "home.db").string();
  const std::optional<ApiOptions> first = resolve_api_options({}, false, state, error);
  ASSERT_TRUE(first) << error;
  EXPECT_EQ(first->token.size(), 64U);
  EXPECT_FALSE(first->print_token);
  EXPECT_EQ(mode_of(state + ".token"), 0600U);
  EXPECT_EQ(resolve_api_options({}, false, state, error)->token, first->token);
}

TEST(eventrunner_cli_api_options, a_token_file_others_can_read_is_refused) {
  std::string error;
  const std::filesystem::path dir = fresh_dir("er_api_options_open");
  const std::string path = (dir / "token").string();
  std::ofstream(path) << "secret\n";
  ::chmod(path.c_str(), 0644);
  EXPECT_FALSE(load_or_create_token(path, error));
  EXPECT_NE(error.find("chmod 600"), std::string::npos) << error;
  ::chmod(path.c_str(), 0600);
  EXPECT_EQ(load_or_create_token(path, error), "secret");
}

TEST(eventrunner_cli_api_options, memory_runs_make_a_token_to_print) {
  std::string error;
  const std::optional<ApiOptions> options = resolve_api_options({}, false, "", error);
  ASSERT_TRUE(options);
  EXPECT_TRUE(options->print_token);
  EXPECT_TRUE(options->url_file.empty());
  EXPECT_NE(fresh_token(), options->token);
}

TEST(eventrunner_cli_api_options, tls_needs_both_files) {
  std::string error;
  ApiArgs args;
  args.tls_cert = "cert.pem";
  EXPECT_FALSE(resolve_api_options(args, false, "", error));
  EXPECT_NE(error.find("--tls-key"), std::string::npos);
}

}  // namespace
}  // namespace er::cli
