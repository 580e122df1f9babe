-- er.api: publishes the host API. Every module has added its part of `er` (spec §12) to
-- the base's er table; engine.lua calls this last to make it the global `er`.

local M = {}

function M.publish(er)
  _G.er = er
end

return M
