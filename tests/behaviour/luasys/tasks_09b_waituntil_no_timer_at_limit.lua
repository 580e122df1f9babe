-- luasys --virtual-time --max-timers 1 ex.lua
-- Checklist 9 (and 30): with the timer limit used up, a waitUntil without ms still
-- works because it needs no timer, while a timed one raises the limit error.
sys.timerStart(sys.publish, 30, "X", 1)
sys.taskInit(function()
  print(pcall(sys.waitUntil, "X", 10))
  print(sys.waitUntil("X"))
  print(sys.now())
end)
--> false	timer limit reached (1)
--> true	1
--> 30
