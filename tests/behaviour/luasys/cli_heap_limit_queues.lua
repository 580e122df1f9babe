-- luasys --virtual-time --heap-limit 4m ex.lua
-- Spec 9: the C++ side of the publish queue, task, timer and subscriber records counts
-- toward the heap limit: past it the growing call raises "not enough memory" and the
-- program goes on (it used to grow the process without bound).
local n = 0
print(pcall(function() while true do sys.publish("X", n) n = n + 1 end end))
print(pcall(function() while true do sys.publish("Y") end end))
local got = 0
sys.subscribe("X", function() got = got + 1 end)
sys.timerStart(function()
  print("delivered all", got == n)
  local i = 0
  print(pcall(function() while true do i = i + 1 sys.timerStart(function() end, 1e9 + i) end end))
  print(pcall(function() while true do sys.taskInit(sys.waitUntil, "never") end end))
  print(pcall(function() while true do i = i + 1 sys.subscribe("id" .. i, print) end end))
  print("still running")
end, 10)
--> false	not enough memory
--> false	not enough memory
--> delivered all	true
--> false	not enough memory
--> false	not enough memory
--> false	not enough memory
--> still running
