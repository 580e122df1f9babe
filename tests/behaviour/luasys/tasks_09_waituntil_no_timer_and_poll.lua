-- Checklist 9: waitUntil without ms uses no timer; ms 0 polls for one pass.
local t = sys.taskInit(function()
  print("a", sys.waitUntil("X"))
  print("b", sys.now(), sys.waitUntil("Y", 0))
  print("c", sys.now())
  sys.publish("Y", "mine")
  print("d", sys.waitUntil("Y", 0))
end)
local info = sys.taskInfo(t)
print(info.state, info.waiting_on, info.wake_at, rtos.stats().timers)
sys.timerStart(sys.publish, 30, "X", 1)
--> waiting	message X	nil	0
--> a	true	1
--> b	30	false
--> c	30
--> d	true	mine
