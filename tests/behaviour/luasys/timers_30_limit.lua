-- luasys --virtual-time --max-timers 2 ex.lua
-- Checklist 30: at the limit timerStart gives nil, err with no trace (no id, nothing
-- pending), rtos.timer_start gives 0, and sys.wait / timed waits raise; freeing a
-- timer makes waiting work again.
local function f(x) print("f", x, sys.now()) end
print(sys.timerStart(f, 10, 1))
print(sys.timerLoopStart(f, 10, 2))
print(sys.timerStart(f, 10, 3))
print(select("#", sys.timerIsActive(f, 3)), rtos.stats().timers)
print(rtos.timer_start(1, 10))
print(sys.timerStart(f, 20, 1))
sys.taskInit(function()
  print(pcall(sys.wait, 5))
  print(pcall(sys.waitUntil, "X", 5))
  sys.timerStop(2097154)
  sys.wait(5)
  print("waited", sys.now())
  sys.timerStopAll(f)
end)
--> 2097152
--> 2097153
--> nil	timer limit reached (2)
--> 0	2
--> 0
--> 2097154
--> false	timer limit reached (2)
--> false	timer limit reached (2)
--> waited	5
