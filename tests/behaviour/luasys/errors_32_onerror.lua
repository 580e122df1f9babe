-- Checklist 32: sys.onError's handler replaces the report and gets kind, message,
-- where, traceback and name/co (task) or id (timer, message); nil restores it.
local worker
local function handler(e)
  local extra = e.kind == "task" and (e.name .. " " .. tostring(e.co == worker)) or tostring(e.id)
  print(e.kind, e.message, e.where, type(e.traceback), extra)
end
sys.onError(handler)
print(sys.onError(handler) == handler)
local tid = sys.timerStart(function() error("timer broke") end, 20)
sys.subscribe("EV", function() error("sub broke", 0) end)
sys.timerStart(sys.publish, 30, "EV")
sys.timerStart(function() sys.onError(nil) error("default again") end, 40)
print(tid)
worker = sys.taskInitNamed("w", function()
  sys.wait(10)
  error("task broke")
end)
--> true
--> 2097152
--> task	ex.lua:17: task broke	ex.lua:15	string	w true
--> timer	ex.lua:10: timer broke	ex.lua:10	string	2097152
--> subscriber	sub broke	ex.lua:11	string	EV
--! 0.040 [ERROR] sys: timer 2097154 (ex.lua:13) failed: ex.lua:13: default again
