// Boots the engine: the runtime, the natives, the module loaders, then er.engine.

#include "rules/engine.h"

#include "natives.h"
#include "rules/embedded_lua.h"

namespace er {

namespace detail {

void register_natives(lua_State* L, EngineContext& context, const luaL_Reg* functions) {
  for (; functions->name != nullptr; ++functions) {
    lua_pushlightuserdata(L, &context);
    lua_pushcclosure(L, functions->func, 1);
    lua_setfield(L, -2, functions->name);
  }
}

}  // namespace detail

namespace {

// package.preload loader for an embedded module; upvalue 1 is its EmbeddedLuaModule.
int load_embedded_module(lua_State* L) {
  const auto* module = static_cast<const EmbeddedLuaModule*>(lua_touserdata(L, lua_upvalueindex(1)));
  lua_pushliteral(L, "@");
  lua_pushlstring(L, module->path.data(), module->path.size());
  lua_concat(L, 2);
  const char* chunk_name = lua_tostring(L, -1);
  if (luaL_loadbuffer(L, module->source.data(), module->source.size(), chunk_name) != LUA_OK) {
    return lua_error(L);
  }
  lua_pushvalue(L, 1);  // The module name, as require passes it.
  lua_call(L, 1, 1);
  return 1;
}

// Adds a package.preload loader for each of `modules` to the table on top of the stack.
void preload(lua_State* L, std::span<const EmbeddedLuaModule> modules) {
  for (const EmbeddedLuaModule& module : modules) {
    lua_pushlstring(L, module.name.data(), module.name.size());
    lua_pushlightuserdata(L, const_cast<EmbeddedLuaModule*>(&module));
    lua_pushcclosure(L, load_embedded_module, 1);
    lua_settable(L, -3);
  }
}

// Makes the engine's and the host's embedded modules requirable, or, when the string
// at `lua_dir_index` is not empty, puts each of its ';'-separated folders on
// package.path instead.
void install_module_loaders(lua_State* L, int lua_dir_index, const detail::EngineContext& context) {
  lua_getglobal(L, "package");
  if (lua_rawlen(L, lua_dir_index) > 0) {
    lua_getglobal(L, "string");
    lua_getfield(L, -1, "gsub");
    lua_pushvalue(L, lua_dir_index);
    lua_pushliteral(L, ";");
    lua_pushliteral(L, "/?.lua;");
    lua_call(L, 3, 1);  // "a;b" -> "a/?.lua;b"
    lua_pushliteral(L, "/?.lua;");
    lua_getfield(L, -4, "path");
    lua_concat(L, 3);
    lua_setfield(L, -3, "path");
    lua_pop(L, 1);  // string
  } else {
    lua_getfield(L, -1, "preload");
    preload(L, engine_lua_modules());
    preload(L, context.host_modules);
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
}

// The boot function, run in protected mode: upvalue 1 the context, argument 1 the
// development Lua directory ("" for the embedded modules).
int boot(lua_State* L) {
  auto& context = detail::context_of(L);
  install_module_loaders(L, 1, context);
  detail::preload_json_module(L);
  lua_getglobal(L, "require");
  lua_pushliteral(L, "er.engine");
  lua_call(L, 1, 1);
  lua_getfield(L, -1, "boot");
  lua_newtable(L);
  detail::open_core_natives(L, context);
  detail::open_compiler_natives(L, context);
  detail::open_calendar_natives(L, context);
  detail::open_store_natives(L, context);
  detail::open_metrics_natives(L, context);
  detail::open_device_natives(L, context);
  lua_call(L, 1, 0);
  return 0;
}

// Calls require(module)[function](args...): upvalue-free, arguments on the stack.
int call_module_function(lua_State* L) {
  const int nargs = lua_gettop(L) - 2;
  lua_getglobal(L, "require");
  lua_pushvalue(L, 1);
  lua_call(L, 1, 1);
  lua_getfield(L, -1, lua_tostring(L, 2));
  lua_replace(L, 1);
  lua_pop(L, 1);
  lua_remove(L, 2);
  lua_call(L, nargs, 0);
  return 0;
}

}  // namespace

Engine::Engine(luasys::Host& host, luasys::Port& port, luasys::Clock& clock,
               const EngineOptions& options)
    : context_(std::make_unique<detail::EngineContext>()) {
  context_->host = &host;
  context_->clock = &clock;
  context_->where = {options.place.latitude, options.place.longitude};
  context_->instruction_budget = options.instruction_budget;
  auto zone = calendar::TimeZone::parse(options.place.tz);
  if (zone.ok()) {
    context_->zone = zone.value();
  } else {
    boot_error_ = "bad time zone '" + options.place.tz + "': " + zone.error();
  }
  if (options.store != nullptr) {
    context_->store = options.store;
  } else {
    owned_store_ = std::make_unique<MemoryStateStore>();
    context_->store = owned_store_.get();
  }
  runtime_ = std::make_unique<luasys::Runtime>(host, port, clock, options.loop);
  context_->runtime = runtime_.get();
  if (!boot_error_.empty()) return;
  detail::install_pass_end_hook(*context_);

  context_->host_modules = options.host_modules;
  const std::string& lua_dir = options.lua_dir;
  lua_State* L = runtime_->lua();
  lua_pushlightuserdata(L, context_.get());
  lua_pushcclosure(L, boot, 1);
  lua_pushlstring(L, lua_dir.data(), lua_dir.size());
  luasys::CallResult result = runtime_->call(1);
  if (result.status == luasys::CallResult::Status::Error) {
    boot_error_ = result.message + "\n" + result.traceback;
  }
}

Engine::~Engine() {
  // Batched device state reaches the store before the state closes.
  if (ok()) call("er.engine", "shutdown");
}

luasys::Runtime& Engine::runtime() { return *runtime_; }
lua_State* Engine::lua() { return runtime_->lua(); }
bool Engine::ok() const { return boot_error_.empty(); }
const std::string& Engine::boot_error() const { return boot_error_; }

luasys::CallResult Engine::call(const char* module, const char* function,
                                std::initializer_list<std::string> args) {
  lua_State* L = runtime_->lua();
  lua_pushcfunction(L, call_module_function);
  lua_pushstring(L, module);
  lua_pushstring(L, function);
  for (const std::string& arg : args) lua_pushlstring(L, arg.data(), arg.size());
  return runtime_->call(static_cast<int>(args.size()) + 2);
}

}  // namespace er
