-- er.devices: placeholder until written (docs/engine-internals.md).
local M = {}
function M.install(E) end
return M
