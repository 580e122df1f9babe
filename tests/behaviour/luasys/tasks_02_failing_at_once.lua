-- Checklist 2: a task failing before its first wait is reported and still returned,
-- dead. The default name is task@<file>:<line of fn>.
local co = sys.taskInitNamed("early", function() error("at once") end)
print(type(co), coroutine.status(co), sys.taskInfo(co).state)
local co2 = sys.taskInit(function() error({}) end)
print(type(co2), coroutine.status(co2), sys.taskInfo(co2).name)
print(#sys.tasks())
--> thread	dead	dead
--> thread	dead	task@ex.lua:5
--> 0
--! 0.000 [ERROR] sys: task "early" failed: ex.lua:3: at once
--! 0.000 [ERROR] sys: task "task@ex.lua:5" failed: (error object is a table value)
