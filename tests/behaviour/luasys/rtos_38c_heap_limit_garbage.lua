-- luasys --virtual-time --heap-limit 4m ex.lua
-- Spec 7: an allocation fails only after a full collection, so a program whose live
-- data fits under --heap-limit keeps running however much garbage it makes.
local total = 0
for i = 1, 20 do
  local s = string.rep("x", 1024 * 1024) .. i
  total = total + #s
end
local limit, used, max = rtos.meminfo()
print(total > 20 * 1024 * 1024, used <= limit, max <= limit)
--> true	true	true
