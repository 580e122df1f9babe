#include "api_verbs.h"

#include <algorithm>
#include <array>
#include <ostream>

#include "api_format.h"

namespace er::cli {

namespace {

using nlohmann::json;
using Args = std::vector<std::string>;

// ---- Request builders ----------------------------------------------------------------

ApiRequest get(std::string path) { return {"GET", std::move(path), json::object()}; }
ApiRequest post(std::string path, json body = json::object()) { return {"POST", std::move(path), std::move(body)}; }

std::optional<ApiRequest> health(const Args&, const VerbOptions&, Streams&) { return get("/api/health"); }
std::optional<ApiRequest> rules(const Args&, const VerbOptions&, Streams&) { return get("/api/rules"); }
std::optional<ApiRequest> devices(const Args&, const VerbOptions&, Streams&) { return get("/api/devices"); }
std::optional<ApiRequest> globals(const Args&, const VerbOptions&, Streams&) { return get("/api/globals"); }
std::optional<ApiRequest> rollback(const Args&, const VerbOptions&, Streams&) { return post("/api/rollback"); }

std::optional<ApiRequest> rule(const Args& args, const VerbOptions&, Streams&) {
  return get("/api/rules/" + url_encode(args[0]));
}

std::optional<ApiRequest> rule_action(const Args& args, std::string_view action) {
  return post("/api/rules/" + url_encode(args[0]) + "/" + std::string(action));
}
std::optional<ApiRequest> enable(const Args& a, const VerbOptions&, Streams&) { return rule_action(a, "enable"); }
std::optional<ApiRequest> disable(const Args& a, const VerbOptions&, Streams&) { return rule_action(a, "disable"); }
std::optional<ApiRequest> run(const Args& a, const VerbOptions&, Streams&) { return rule_action(a, "run"); }

std::optional<ApiRequest> device(const Args& args, const VerbOptions&, Streams&) {
  return get("/api/devices/" + url_encode(args[0]));
}

std::optional<ApiRequest> action(const Args& args, const VerbOptions&, Streams&) {
  json values = json::array();
  for (std::size_t i = 2; i < args.size(); ++i) values.push_back(parse_loose_value(args[i]));
  return post("/api/devices/" + url_encode(args[0]), {{"action", args[1]}, {"args", values}});
}

std::optional<ApiRequest> set(const Args& args, const VerbOptions&, Streams&) {
  return post("/api/devices/" + url_encode(args[0]) + "/report",
              {{"property", args[1]}, {"value", parse_loose_value(args[2])}});
}

std::optional<ApiRequest> global(const Args& args, const VerbOptions&, Streams&) {
  const std::string path = "/api/globals/" + url_encode(args[0]);
  if (args.size() == 1) return get(path);
  return ApiRequest{"PUT", path, {{"value", parse_loose_value(args[1])}}};
}

std::optional<ApiRequest> post_event(const Args& args, const VerbOptions&, Streams& streams) {
  json event = json::parse(args[0], nullptr, false);
  if (!event.is_object() || !field(event, "type").is_string()) {
    streams.err << "eventrunner: post needs a JSON object with a \"type\", e.g. '{\"type\": \"doorbell\"}'\n";
    return std::nullopt;
  }
  return post("/api/events", std::move(event));
}

std::optional<ApiRequest> eval(const Args& args, const VerbOptions&, Streams& streams) {
  if (args[0] != "-") return post("/api/eval", {{"source", args[0]}});
  const std::optional<SourceText> source = read_source("-", streams);
  if (!source) return std::nullopt;
  return post("/api/eval", {{"source", source->text}});
}

std::optional<ApiRequest> check(const Args& args, const VerbOptions&, Streams& streams) {
  json files = json::object();
  for (const std::string& path : args) {
    const std::optional<SourceText> source = read_source(path, streams);
    if (!source) return std::nullopt;
    files[source->name] = source->text;
  }
  return post("/api/check", {{"files", files}});
}

std::optional<ApiRequest> reload(const Args&, const VerbOptions& options, Streams&) {
  return post("/api/reload", {{"dry_run", options.dry_run}});
}

std::optional<ApiRequest> timeline(const Args&, const VerbOptions& options, Streams& streams) {
  if (!options.since) return get("/api/timeline");
  const std::string& since = *options.since;
  if (since.empty() || !std::all_of(since.begin(), since.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    streams.err << "eventrunner: --since: expected a sequence number, got '" << since << "'\n";
    return std::nullopt;
  }
  return get("/api/timeline?since=" + since);
}

// log-level: the levels (no argument), the engine's level (LEVEL) or a rule's (RULE
// LEVEL; `default` makes the rule follow the engine's level again).
std::optional<ApiRequest> log_level(const Args& args, const VerbOptions&, Streams&) {
  if (args.empty()) return get("/api/log-level");
  if (args.size() == 1) return ApiRequest{"PUT", "/api/log-level", {{"level", args[0]}}};
  const json level = args[1] == "default" ? json(nullptr) : json(args[1]);
  return ApiRequest{"PUT", "/api/log-level", {{"rule", args[0]}, {"level", level}}};
}

// why NAME; trace [NAME [OUTCOME [N]]]; state (docs/traces.md).
std::optional<ApiRequest> why(const Args& args, const VerbOptions&, Streams&) {
  return get("/api/rules/" + url_encode(args[0]) + "/why");
}

std::optional<ApiRequest> traces(const Args& args, const VerbOptions&, Streams&) {
  std::string query = "/api/traces?rule=" + (args.empty() ? std::string() : url_encode(args[0]));
  if (args.size() > 1) query += "&outcome=" + url_encode(args[1]);
  if (args.size() > 2) query += "&limit=" + url_encode(args[2]);
  return get(query);
}

std::optional<ApiRequest> state(const Args&, const VerbOptions&, Streams&) { return get("/api/state"); }

// ---- Printers ------------------------------------------------------------------------

// The answers of why, trace and state carry their text (the engine writes it).
void print_text(const json& a, Streams& s) {
  const std::string text = text_field(a, "text");
  s.out << text << (text.empty() || text.ends_with('\n') ? "" : "\n");
}

void print_nothing(const json&, Streams&) {}
void print_health(const json& a, Streams& s) { s.out << format_health(a); }
void print_rules(const json& a, Streams& s) { s.out << format_rules_table(a); }
void print_rule(const json& a, Streams& s) { s.out << format_rule(a); }
void print_rule_state(const json& a, Streams& s) { s.out << format_rule_state(a); }
void print_devices(const json& a, Streams& s) { s.out << format_devices_table(a); }
void print_device(const json& a, Streams& s) { s.out << format_device(a); }
void print_globals(const json& a, Streams& s) { s.out << format_globals(a); }
void print_timeline(const json& a, Streams& s) { s.out << format_timeline(a, ""); }

// "level: info" and one "NAME: LEVEL" line per rule with a level of its own.
void print_log_levels(const json& answer, Streams& streams) {
  streams.out << "level: " << text_field(answer, "level") << '\n';
  const json& rules = field(answer, "rules");
  if (!rules.is_object()) return;
  for (const auto& [name, level] : rules.items()) {
    streams.out << name << ": " << (level.is_string() ? level.get<std::string>() : "-") << '\n';
  }
}

void print_run(const json& answer, Streams& streams) {
  const json& rule = field(answer, "rule");
  streams.out << text_field(rule, "name", text_field(rule, "identity")) << ": started\n";
}

// One global's value; a PUT answers nothing worth printing.
void print_global(const json& answer, Streams& streams) {
  if (answer.contains("value")) streams.out << format_value(answer["value"]) << '\n';
}

// As `eventrunner eval` prints: one canonical value per line; errors on standard error.
void print_eval(const json& answer, Streams& streams) {
  if (answer_failed(answer)) {
    const std::string error = text_field(answer, "error", "the engine reported an error");
    streams.err << error << (error.ends_with('\n') ? "" : "\n");
    return;
  }
  for (const json& value : field(answer, "values")) {
    streams.out << (value.is_string() ? value.get<std::string>() : format_value(value)) << '\n';
  }
  if (field(answer, "suspended") == true) streams.err << "eventrunner: the chunk waits; it finishes in the engine\n";
}

void print_check(const json& answer, Streams& streams) {
  streams.out << format_diagnostics(answer);
  if (!answer_failed(answer)) streams.out << "no errors\n";
}

void print_reload(const json& answer, Streams& streams) {
  if (answer_failed(answer)) {
    streams.err << format_diagnostics(answer) << "eventrunner: the reload was refused; nothing changed\n";
    return;
  }
  streams.out << format_diagnostics(answer) << format_reload_summary(answer);
}

const std::array<Verb, 23> kVerbs = {{
    {"health", "", "the engine's home, version, clock and counts", 0, 0, health, print_health},
    {"rules", "", "every rule: name, state, next timer", 0, 0, rules, print_rules},
    {"rule", "NAME", "one rule: where it is, its state, statistics and source", 1, 1, rule, print_rule},
    {"enable", "NAME", "enable a rule (stored)", 1, 1, enable, print_rule_state},
    {"disable", "NAME", "disable a rule (stored)", 1, 1, disable, print_rule_state},
    {"run", "NAME", "start a run of a rule's action now", 1, 1, run, print_run},
    {"devices", "", "every device: id, name, type, main value, availability", 0, 0, devices, print_devices},
    {"device", "ID", "one device and its properties", 1, 1, device, print_device},
    {"action", "DEVICE ACTION [ARG...]", "perform an action, as DEVICE:ACTION(ARG...) does", 2, kAnyCount, action,
     print_nothing},
    {"set", "DEVICE PROP VALUE", "inject a report, as if the device had sent it", 3, 3, set, print_nothing},
    {"globals", "", "every $global and its value", 0, 0, globals, print_globals},
    {"global", "NAME [VALUE]", "print a $global, or set it (null clears it)", 1, 2, global, print_global},
    {"post", "JSON-EVENT", "post an event, e.g. '{\"type\": \"doorbell\"}'", 1, 1, post_event, print_nothing},
    {"eval", "SOURCE", "evaluate EventScript in the engine ('-' reads standard input)", 1, 1, eval, print_eval},
    {"check", "FILE...", "check rules files against the running home", 1, kAnyCount, check, print_check},
    {"reload", "[--dry-run]", "apply the home folder's changes (--dry-run: only validate)", 0, 0, reload,
     print_reload},
    {"rollback", "", "return to the previous generation of rules", 0, 0, rollback, print_reload},
    {"timeline", "[--since N]", "the recent timeline lines (after sequence number N)", 0, 0, timeline,
     print_timeline},
    {"log-level", "[[RULE] LEVEL]",
     "show the log levels, or set the engine's or one rule's (error, warn, info, debug, trace; a rule's: default)", 0,
     2, log_level, print_log_levels},
    {"why", "NAME", "why a rule ran or did not, in sentences, from its traces", 1, 1, why, print_text},
    {"trace", "[NAME [OUTCOME [N]]]", "the trace records of a rule (or all), newest last", 0, 3, traces, print_text},
    {"state", "", "every device, global and rule: values, last change, last run, next timer", 0, 0, state,
     print_text},
    {"names", "", "the names a client can complete (JSON)", 0, 0,
     [](const Args&, const VerbOptions&, Streams&) -> std::optional<ApiRequest> { return get("/api/names"); },
     [](const json& a, Streams& s) { s.out << a.dump(-1, ' ', false, json::error_handler_t::replace) << '\n'; }},
}};

std::string count_words(std::size_t count) {
  return count == 1 ? "1 argument" : std::to_string(count) + " arguments";
}

}  // namespace

// "rule needs 1 argument (rule NAME)".
bool verb_arguments_fit(const Verb& verb, std::size_t count, Streams& streams) {
  if (count >= verb.min_args && count <= verb.max_args) return true;
  const std::string limit = count < verb.min_args ? "needs " + std::string(verb.max_args == kAnyCount ? "at least " : "") + count_words(verb.min_args)
                                                  : "takes " + std::string(verb.min_args < verb.max_args ? "at most " : "") + count_words(verb.max_args);
  streams.err << "eventrunner: " << verb.name << ' ' << limit << " (" << verb.name
              << (verb.usage.empty() ? "" : " ") << verb.usage << ")\n";
  return false;
}

std::span<const Verb> verbs() { return kVerbs; }

const Verb* find_verb(std::string_view name) {
  const auto it = std::find_if(kVerbs.begin(), kVerbs.end(), [name](const Verb& v) { return v.name == name; });
  return it == kVerbs.end() ? nullptr : &*it;
}

json parse_loose_value(std::string_view text) {
  json value = json::parse(text, nullptr, false);
  if (value.is_discarded()) return std::string(text);
  return value;
}

int run_verb(ApiClient& client, const Verb& verb, const std::vector<std::string>& args, const VerbOptions& options,
             bool json_output, Streams& streams) {
  if (!verb_arguments_fit(verb, args.size(), streams)) return kExitUsage;
  const std::optional<ApiRequest> request = verb.request(args, options, streams);
  if (!request) return kExitUsage;
  const ApiResponse response = client.send(request->method, request->path, request->body);
  if (json_output && !response.body.is_null()) {
    streams.out << response.body.dump(-1, ' ', false, json::error_handler_t::replace) << '\n';
  }
  if (!response.ok()) {
    streams.err << "eventrunner: " << response.error << '\n';
    return kExitErrors;
  }
  if (!json_output) verb.print(response.body, streams);
  return answer_failed(response.body) ? kExitErrors : kExitOk;
}

}  // namespace er::cli

namespace er::cli {

int evaluate_in_engine(ApiClient& client, const std::string& source, Streams& streams) {
  const ApiResponse response = client.post("/api/eval", {{"source", source}});
  if (!response.ok()) {
    streams.err << "eventrunner: " << response.error << '\n';
    return kExitErrors;
  }
  print_eval(response.body, streams);
  return answer_failed(response.body) ? kExitErrors : kExitOk;
}

}  // namespace er::cli
