-- luasys --virtual-time --heap-limit 4m ex.lua
-- Checklist 38: past --heap-limit an allocation fails with Lua's "not enough memory"
-- error (catchable, reported for tasks); the process lives on.
print((rtos.meminfo()))
print(pcall(string.rep, "x", 8 * 1024 * 1024))
local t = {}
print(pcall(function() for i = 1, 1e7 do t[i] = i end end))
t = nil
collectgarbage()
print(#string.rep("y", 1000))
sys.taskInitNamed("hog", function() local s = {} for i = 1, 1e7 do s[i] = {} end end)
sys.timerStart(function()
  local total, used, max = rtos.meminfo()
  print("alive", used <= total, max <= total)
end, 10)
--> 4194304
--> false	not enough memory
--> false	not enough memory
--> 1000
--> alive	true	true
--! 0.000 [ERROR] sys: task "hog" failed: not enough memory
