-- er.ring: the last `capacity` entries of a stream, each a pair (at, value), for
-- histories that a busy home appends to thousands of times a second.
--
--   local ring = require("er.ring")
--   local changes = ring.new(2000)
--   changes:push(at, value)
--   for at, value in changes:entries() do ... end   -- oldest first
--
-- The pairs live in two arrays whose slots are reused in a circle, so a push
-- allocates nothing once the ring is full and the keys stay 1..capacity (Lua keeps
-- them in the array part). A ring of one table per entry, by contrast, makes every
-- push a new object that lives long enough to be promoted by the generational
-- collector, and the sliding integer keys fall into the hash part, which is rebuilt
-- as they move.

local M = {}

local Ring = {}
Ring.__index = Ring

--- An empty ring that keeps the last `capacity` (>= 1) pushes.
function M.new(capacity)
  assert(math.type(capacity) == "integer" and capacity >= 1, "ring capacity must be a positive integer")
  return setmetatable({capacity = capacity, count = 0, slot = 1, ats = {}, values = {}}, Ring)
end

--- Appends (at, value), dropping the oldest entry when the ring is full.
function Ring:push(at, value)
  local slot = self.slot
  self.ats[slot], self.values[slot] = at, value
  self.slot = slot % self.capacity + 1
  if self.count < self.capacity then self.count = self.count + 1 end
end

--- How many entries the ring holds.
function Ring:size() return self.count end

--- Iterates over the entries, oldest first: for at, value in ring:entries().
function Ring:entries()
  local capacity, count, ats, values = self.capacity, self.count, self.ats, self.values
  local oldest = count < capacity and 1 or self.slot
  local k = 0
  return function()
    if k >= count then return nil end
    local slot = (oldest + k - 1) % capacity + 1
    k = k + 1
    return ats[slot], values[slot]
  end
end

return M
