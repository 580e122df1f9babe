-- er.api: publishes the host API. Every module has added its part of `er` (spec §12) to
-- E.er; this last module makes it the global `er`.

local M = {}

function M.install(E)
  _G.er = E.er
end

return M
