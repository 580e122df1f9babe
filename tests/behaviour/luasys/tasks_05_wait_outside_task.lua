-- Checklist 5: sys.wait outside a task raises the exact message with the Lua caller's
-- position; callbacks run on the main thread and cannot wait either.
local function helper()
  sys.wait(10)
end
print(pcall(helper))
print(pcall(sys.wait, 10))
sys.timerStart(function()
  print(pcall(helper))
end, 10)
sys.timerStart(helper, 20)
--> false	ex.lua:4: sys.wait called outside a task; start one with sys.taskInit
--> false	sys.wait called outside a task; start one with sys.taskInit
--> false	ex.lua:4: sys.wait called outside a task; start one with sys.taskInit
--! 0.020 [ERROR] sys: timer 2097153 (ex.lua:3) failed: ex.lua:4: sys.wait called outside a task; start one with sys.taskInit
