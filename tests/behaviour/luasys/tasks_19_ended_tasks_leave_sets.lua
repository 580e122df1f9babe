-- Checklist 19: ended, failed or closed tasks leave every subscriber set and lose
-- their pending wait at once; timers they started keep running (spec 2.5).
local t1 = sys.taskInit(function()
  sys.subscribe("Z", coroutine.running())
  sys.timerStart(print, 30, "timer started by t1 still fires")
  sys.waitUntil("Y", 1000)
end)
sys.taskInit(function()
  sys.subscribe("Z", coroutine.running())
  sys.wait(10)
end)
sys.taskInitNamed("t3", function()
  sys.subscribe("Z", coroutine.running())
  sys.wait(15)
  error("oops")
end)
print(rtos.stats().timers, rtos.stats().tasks)
coroutine.close(t1)
print(coroutine.status(t1), rtos.stats().timers, rtos.stats().tasks, sys.taskInfo(t1).state)
sys.subscribe("Z", function(x) print("Z", x) end)
sys.timerStart(sys.publish, 5, "Y")
sys.timerStart(sys.publish, 20, "Z", "after the tasks ended")
--> 4	3
--> dead	3	2	dead
--> Z	after the tasks ended
--> timer started by t1 still fires
--! 0.015 [ERROR] sys: task "t3" failed: ex.lua:15: oops
