// Calendar natives (docs/engine-internals.md §2.3). Placeholder until written.
#include "natives.h"

namespace er::detail {

void open_calendar_natives(lua_State* /*L*/, EngineContext& /*context*/) {}

}  // namespace er::detail
