-- Checklist 31: task, timer and subscriber errors are reported (log.error, tag sys)
-- with their location and message; the loop goes on and loop timers stay.
local function bad_timer() error("timer broke") end
sys.timerStart(bad_timer, 20)
sys.timerStart(sys.publish, 30, "EV", 1)
local loops, lid = 0, nil
lid = sys.timerLoopStart(function()
  loops = loops + 1
  if loops == 2 then error(setmetatable({}, {__tostring = function() return "custom" end})) end
  if loops == 3 then sys.timerStop(lid) print("loop timer still ran", sys.now()) end
end, 15)
sys.timerStart(function() error(42) end, 35)
sys.timerStart(error, 40, "c error")
sys.timerStart(function() print("loop goes on", sys.now()) end, 50)
sys.subscribe("EV", function(x) error({code = x}) end)
sys.taskInitNamed("worker", function()
  sys.wait(10)
  error("task broke")
end)
--> loop timer still ran	45
--> loop goes on	50
--! 0.010 [ERROR] sys: task "worker" failed: ex.lua:18: task broke
--! 0.020 [ERROR] sys: timer 2097152 (ex.lua:3) failed: ex.lua:3: timer broke
--! 0.030 [ERROR] sys: subscriber (ex.lua:15) for message "EV" failed: (error object is a table value)
--! 0.030 [ERROR] sys: timer 2097154 (ex.lua:7) failed: custom
--! 0.035 [ERROR] sys: timer 2097155 (ex.lua:12) failed: 42
--! 0.040 [ERROR] sys: timer 2097156 ([C]) failed: c error
