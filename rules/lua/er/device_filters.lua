-- List filters (spec §10.7): `X:sum`, `X:average`, `X:mostlyTrue`, ... on a table X.
-- They read X's own elements 1..#X, never devices: `{77,78}:value:average` is the
-- average of the values list. A value is true unless it is nil, false or 0.

local M = {}

local function truthy(v) return v ~= nil and v ~= false and v ~= 0 end

-- Numbers count as themselves, booleans as 1/0; other values are ignored.
local function numeric(v)
  local t = type(v)
  if t == "number" then return v end
  if t == "boolean" then return v and 1 or 0 end
  return nil
end

local function sum_and_count(list)
  local sum, count = 0, 0
  for i = 1, #list do
    local n = numeric(list[i])
    if n ~= nil then sum, count = sum + n, count + 1 end
  end
  return sum, count
end

local function count_true(list)
  local n = 0
  for i = 1, #list do
    if truthy(list[i]) then n = n + 1 end
  end
  return n
end

function M.sum(list) return (sum_and_count(list)) end

function M.average(list)
  local sum, count = sum_and_count(list)
  if count == 0 then return nil end
  return sum / count
end

function M.allTrue(list) return count_true(list) == #list end
function M.someTrue(list) return count_true(list) > 0 end
function M.allFalse(list) return count_true(list) == 0 end
function M.someFalse(list) return count_true(list) < #list end
function M.mostlyTrue(list) return 2 * count_true(list) > #list end
function M.mostlyFalse(list) return 2 * (#list - count_true(list)) > #list end

function M.bin(list)
  local bits = {}
  for i = 1, #list do bits[i] = truthy(list[i]) and 1 or 0 end
  return bits
end

local function flatten(value, out)
  if type(value) ~= "table" then
    out[#out + 1] = value
    return
  end
  for i = 1, #value do flatten(value[i], out) end
end

function M.leaf(list)
  local out = {}
  flatten(list, out)
  return out
end

-- The triggering device's id when the run's event is a device event for an element of
-- the list, else the list itself.
function M.id(list, env)
  local event = env and env.event
  if event ~= nil and event.type == "device" then
    for i = 1, #list do
      if list[i] == event.id then return event.id end
    end
  end
  return list
end

return M
