-- Checklist 6: a task subscribed as a coroutine leaves sys.wait with id, args...
-- (trailing nils too), and its sleep timer is cancelled.
local function show(...) print(sys.now(), select("#", ...), ...) end
sys.taskInit(function()
  sys.subscribe("PING", coroutine.running())
  show(sys.wait(100))
  print("timers", rtos.stats().timers)
  sys.wait(200)
  print("slept until", sys.now())
end)
sys.timerStart(sys.publish, 10, "PING", 1, nil, "c", nil)
--> 10	5	PING	1	nil	c	nil
--> timers	0
--> slept until	210
