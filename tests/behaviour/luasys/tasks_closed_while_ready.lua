-- Spec 2.5: closing a task in sys.wait(0) drops its pending wait at once: the loop
-- never resumes it (no "cannot resume dead coroutine" report).
local victim = sys.taskInit(function() sys.wait(0) print("victim ran") end)
local sleeper = sys.taskInit(function() sys.wait(10) print("sleeper ran") end)
coroutine.close(victim)
coroutine.close(sleeper)
print(coroutine.status(victim), sys.taskInfo(victim).state, rtos.stats().timers, #sys.tasks())
sys.timerStart(print, 20, "loop went on")
--> dead	dead	0	0
--> loop went on
