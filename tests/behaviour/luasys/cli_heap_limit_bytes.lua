-- luasys --virtual-time --heap-limit 3000000 ex.lua
-- Spec 9 and 11: a bare --heap-limit size is in bytes; sys.now() is an integer.
print((rtos.meminfo()), math.type(sys.now()))
--> 3000000	integer
