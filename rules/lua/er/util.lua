-- Value helpers shared by the engine's modules: deep copy and equality, JSON and the
-- canonical value form of `eventrunner eval`.

local M = {}

local function deep_copy(v)
  if type(v) ~= "table" then return v end
  local copy = {}
  for k, x in pairs(v) do copy[deep_copy(k)] = deep_copy(x) end
  return copy
end
M.deep_copy = deep_copy

local function deep_equal(a, b)
  if a == b then return true end
  if type(a) ~= "table" or type(b) ~= "table" then return false end
  for k, x in pairs(a) do
    if not deep_equal(x, b[k]) then return false end
  end
  for k in pairs(b) do
    if a[k] == nil then return false end
  end
  return true
end
M.deep_equal = deep_equal

function M.install(E) E.util = M end

return M
