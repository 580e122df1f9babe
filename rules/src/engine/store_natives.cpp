// State store natives (docs/engine-internals.md §2.4). Placeholder until written.
#include "natives.h"

namespace er::detail {

void open_store_natives(lua_State* /*L*/, EngineContext& /*context*/) {}

}  // namespace er::detail
