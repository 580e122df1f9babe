-- env: LUASYS_MAX_TIMERS=1
-- env: LUASYS_LOG_LEVEL=ERROR
-- env: LUASYS_BUS_SLOTS=32
-- env: LUASYS_HEAP_LIMIT=2m
-- Spec 9 and 11: the limits can come from the environment.
local s = rtos.stats()
print(s.max_timers, s.bus_slots, log.getLevel(), (rtos.meminfo()))
--> 1	32	4	2097152
