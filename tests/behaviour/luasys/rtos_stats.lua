-- luasys --virtual-time --bus-slots 16 --max-timers 10 ex.lua
-- Spec 7 and 9: rtos.stats counts pending timers, live tasks and undelivered
-- messages, and shows the configured bus slots and timer limit.
sys.taskInit(function() sys.wait(10) end)
sys.timerStart(print, 5, "x")
sys.publish("A")
sys.publish("B", 1)
local s = rtos.stats()
print(s.posted, s.dropped, s.bus_used, s.bus_slots, s.bus_peak, s.timers, s.max_timers, s.tasks, s.queued)
sys.timerStart(function()
  local s2 = rtos.stats()
  print(s2.timers, s2.tasks, s2.queued)
end, 20)
--> 0	0	0	16	0	2	10	1	2
--> x
--> 0	0	0
