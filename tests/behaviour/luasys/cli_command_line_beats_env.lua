-- luasys --virtual-time --max-timers 3 --log-level INFO --bus-slots 8 --heap-limit 3072k ex.lua
-- env: LUASYS_MAX_TIMERS=1
-- env: LUASYS_LOG_LEVEL=ERROR
-- env: LUASYS_BUS_SLOTS=32
-- env: LUASYS_HEAP_LIMIT=2m
-- Spec 11: the command line wins over the environment.
local s = rtos.stats()
print(s.max_timers, s.bus_slots, log.getLevel(), (rtos.meminfo()))
--> 3	8	2	3145728
