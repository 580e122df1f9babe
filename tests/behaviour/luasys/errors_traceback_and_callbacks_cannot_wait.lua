-- Spec 0 and 6.2: the report's first line is followed by a traceback; callbacks run on
-- the main thread and cannot wait, so a subscriber calling sys.wait fails.
local function inner() error("deep") end
sys.taskInitNamed("t", function() inner() end)
sys.subscribe("X", function()
  sys.wait(10)
end)
sys.publish("X")
--! 0.000 [ERROR] sys: task "t" failed: ex.lua:3: deep
--~ stack traceback:
--~ ex.lua:3: in
--~ ex.lua:4: in
--! 0.000 [ERROR] sys: subscriber (ex.lua:5) for message "X" failed: ex.lua:6: sys.wait called outside a task; start one with sys.taskInit
