-- luasys --virtual-time --max-timers 1 ex.lua
-- Spec 4.4: the limit counts task sleeps, timed waits and rtos timers as well as
-- callback timers; untimed waits need no timer; a freed slot can be used again.
sys.taskInit(function()
  sys.wait(100)
  print("woke", sys.now())
  print(sys.timerStart(print, 10, "y"))
end)
print(sys.timerStart(print, 10, "x"))
print(rtos.timer_start(1, 10))
sys.taskInitEx(function()
  print(pcall(sys.waitMsg, "box", nil, 50))
  print("box got", sys.waitMsg("box")[1])
end, "box")
sys.timerStart(function() end, 0)
--> nil	timer limit reached (1)
--> 0
--> false	timer limit reached (1)
--> woke	100
--> 2097152
--> y
