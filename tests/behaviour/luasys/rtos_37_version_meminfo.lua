-- Checklist 37: rtos.version, rtos.bsp and rtos.meminfo (integers, max_used >= used > 0).
print(rtos.version())
print(rtos.version(true))
print(rtos.bsp())
local total, used, max = rtos.meminfo()
print(math.type(total), math.type(used), math.type(max), total, used > 0, max >= used)
local big = {}
for i = 1, 100000 do big[i] = i end
local _, used2, max2 = rtos.meminfo("lua")
print(used2 > used, max2 >= used2, max2 >= max)
print(rtos.meminfo("sys"))
print(rtos.meminfo("psram"))
print(pcall(function() rtos.meminfo("x") end))
--> LuaSys-1.0.0
--> LuaSys-1.0.0	10000	64
--> PC
--> integer	integer	integer	0	true	true
--> true	true	true
--> 0	0	0
--> 0	0	0
--> false	ex.lua:13: bad argument #1 to 'meminfo' (invalid option 'x')
