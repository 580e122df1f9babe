// Batches of device reports (rules/device_backend.h DeviceReportBatch): the compact
// form they travel in as one "er.device.batch" bus message, written on the backend's
// thread, and native.each_report, which reads it on the loop thread and hands each
// report to er.devices (er/devices.lua D.apply_report) as a single report would be.
//
// The form, per report, all integers in the machine's byte order (it never leaves the
// process):
//
//   kind      1 byte: an index into detail::kReportKinds (natives.h)
//   device    'i' + int64 | 's' + uint32 length + bytes
//   property  uint32 length + bytes
//   value     1 byte tag (kNil, kFalse, kTrue, kInteger + int64, kFloat + double,
//             kText + uint32 length + bytes; JSON text is kText with a *_json kind)

#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "natives.h"
#include "rules/device_backend.h"

namespace er {

namespace {

constexpr luasys::StaticText kBatchMessage{"er.device.batch"};

// The one-byte kind codes: indexes into detail::kReportKinds.
constexpr std::uint8_t kUpdate = 0;
constexpr std::uint8_t kEmit = 2;
constexpr std::uint8_t kRestore = 4;
constexpr std::uint8_t kJson = 1;  // Added to a kind when the value is JSON text.

enum Tag : std::uint8_t { kNil, kFalse, kTrue, kInteger, kFloat, kText };

template <class T>
void put(std::string& out, T value) {
  char bytes[sizeof(T)];
  std::memcpy(bytes, &value, sizeof(T));
  out.append(bytes, sizeof(T));
}

void put_text(std::string& out, std::string_view text) {
  put(out, static_cast<std::uint32_t>(text.size()));
  out.append(text);
}

// Appends the value's tag and payload; true if it is JSON text.
bool put_value(std::string& out, const DeviceValue& value) {
  if (const auto* flag = std::get_if<bool>(&value)) {
    out.push_back(static_cast<char>(*flag ? kTrue : kFalse));
  } else if (const auto* integer = std::get_if<std::int64_t>(&value)) {
    out.push_back(static_cast<char>(kInteger));
    put(out, *integer);
  } else if (const auto* number = std::get_if<double>(&value)) {
    out.push_back(static_cast<char>(kFloat));
    put(out, *number);
  } else if (const auto* text = std::get_if<std::string>(&value)) {
    out.push_back(static_cast<char>(kText));
    put_text(out, *text);
  } else if (const auto* json = std::get_if<JsonText>(&value)) {
    out.push_back(static_cast<char>(kText));
    put_text(out, json->text);
    return true;
  } else {
    out.push_back(static_cast<char>(kNil));
  }
  return false;
}

// Reads the packed form; every read is bounds-checked and a short or unknown field
// raises, so a malformed batch cannot read past its string.
class BatchReader {
 public:
  BatchReader(lua_State* L, std::string_view packed) : L_(L), rest_(packed) {}

  [[nodiscard]] bool done() const { return rest_.empty(); }

  std::uint8_t byte() { return static_cast<std::uint8_t>(take(1)[0]); }

  template <class T>
  T fixed() {
    T value;
    std::memcpy(&value, take(sizeof(T)).data(), sizeof(T));
    return value;
  }

  std::string_view text() { return take(fixed<std::uint32_t>()); }

  // Pushes the report's device id (an integer or a string).
  void push_device() {
    const std::uint8_t tag = byte();
    if (tag == 'i') {
      lua_pushinteger(L_, static_cast<lua_Integer>(fixed<std::int64_t>()));
    } else if (tag == 's') {
      const std::string_view id = text();
      lua_pushlstring(L_, id.data(), id.size());
    } else {
      malformed();
    }
  }

  // Pushes the report's value.
  void push_value() {
    switch (byte()) {
      case kNil:
        lua_pushnil(L_);
        return;
      case kFalse:
        lua_pushboolean(L_, 0);
        return;
      case kTrue:
        lua_pushboolean(L_, 1);
        return;
      case kInteger:
        lua_pushinteger(L_, static_cast<lua_Integer>(fixed<std::int64_t>()));
        return;
      case kFloat:
        lua_pushnumber(L_, static_cast<lua_Number>(fixed<double>()));
        return;
      case kText: {
        const std::string_view value = text();
        lua_pushlstring(L_, value.data(), value.size());
        return;
      }
      default:
        malformed();
    }
  }

  [[noreturn]] void malformed() {
    luaL_error(L_, "each_report: malformed device report batch");
    std::abort();
  }

 private:
  std::string_view take(std::size_t size) {
    if (rest_.size() < size) malformed();
    const std::string_view part = rest_.substr(0, size);
    rest_.remove_prefix(size);
    return part;
  }

  lua_State* L_;
  std::string_view rest_;
};

// native.each_report(packed, fn): calls fn(id, property, value, kind) for each report
// of the batch, in order. A report whose call raises does not stop the others; the
// first error is raised again once every report has been applied.
int each_report(lua_State* L) {
  std::size_t size = 0;
  const char* packed = luaL_checklstring(L, 1, &size);
  luaL_checktype(L, 2, LUA_TFUNCTION);
  BatchReader reader(L, std::string_view(packed, size));
  int first_error = 0;
  while (!reader.done()) {
    const std::uint8_t kind = reader.byte();
    if (kind >= std::size(detail::kReportKinds)) reader.malformed();
    lua_pushvalue(L, 2);
    reader.push_device();
    const std::string_view property = reader.text();
    lua_pushlstring(L, property.data(), property.size());
    reader.push_value();
    lua_pushlstring(L, detail::kReportKinds[kind].data, detail::kReportKinds[kind].size);
    if (lua_pcall(L, 4, 0, 0) != LUA_OK) {
      if (first_error == 0) {
        first_error = lua_gettop(L);
      } else {
        lua_pop(L, 1);
      }
    }
  }
  if (first_error != 0) return lua_error(L);
  return 0;
}

}  // namespace

void DeviceReportBatch::add(std::uint8_t kind, const DeviceId& device, std::string_view property,
                            const DeviceValue& value) {
  const std::size_t kind_at = packed_.size();
  packed_.push_back(static_cast<char>(kind));
  if (const auto* number = std::get_if<std::int64_t>(&device)) {
    packed_.push_back('i');
    put(packed_, *number);
  } else {
    packed_.push_back('s');
    put_text(packed_, std::get<std::string>(device));
  }
  put_text(packed_, property);
  if (put_value(packed_, value)) packed_[kind_at] = static_cast<char>(kind + kJson);
  ++count_;
}

void DeviceReportBatch::report(const DeviceId& device, std::string_view property,
                               const DeviceValue& value) {
  add(kUpdate, device, property, value);
}

void DeviceReportBatch::emit(const DeviceId& device, std::string_view property,
                             const DeviceValue& value) {
  add(kEmit, device, property, value);
}

void DeviceReportBatch::restore(const DeviceId& device, std::string_view property,
                                const DeviceValue& value) {
  add(kRestore, device, property, value);
}

bool DeviceReporter::post(DeviceReportBatch&& batch, luasys::Millis timeout) {
  if (batch.count_ == 0) return true;
  luasys::Message message;
  message.id = kBatchMessage;
  message.args[0] = std::move(batch.packed_);
  message.argc = 1;
  batch.count_ = 0;
  if (timeout <= 0) return bus_->try_post(std::move(message));
  return bus_->post(std::move(message), timeout);
}

namespace detail {

void open_device_natives(lua_State* L, EngineContext& context) {
  static const luaL_Reg kFunctions[] = {{"each_report", each_report}, {nullptr, nullptr}};
  register_natives(L, context, kFunctions);
}

}  // namespace detail

}  // namespace er
