print(rtos.version(), rtos.bsp(), rtos.timer_start(7, 30, 1), rtos.timer_start(8, 0))
rtos.timer_start(9, 5) rtos.timer_stop(9)
print(rtos.receive(rtos.INF_TIMEOUT))
print(rtos.receive(-1))
print(rtos.receive(10), sys.now())
local total, used, max = rtos.meminfo()
local s = rtos.stats()
print(total, used > 0, max >= used, s.dropped, s.bus_slots, s.timers, s.max_timers)
--> LuaSys-1.0.0	PC	1	0
--> 1	7	1
--> 1	7	0
--> -1	70
--> 0	true	true	0	256	0	0

-- Spec 7 example, verbatim.
