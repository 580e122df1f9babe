-- luasys --virtual-time --max-timers 2 ex.lua
-- Checklist 20: timer ids start at 2097152 and step by one per successful start;
-- failed starts (errors, the limit) use no id.
local function noop() end
print(sys.timerStart(noop, 10, 1))
print(pcall(function() sys.timerLoopStart(noop, 0) end))
print(pcall(function() sys.timerStart(nil, 10) end))
print(sys.timerStart(noop, 10, 2))
print(sys.timerStart(noop, 10, 3))
print(sys.timerStart(noop, 20, 1))
print(select("#", sys.timerStop(2097153)))
print(sys.timerLoopStart(noop, 10, 3))
print(sys.timerAdvStart(noop, 10, 0, 4))
sys.timerStopAll(noop)
print(sys.timerAdvStart(noop, 10, 0, 4))
--> 2097152
--> false	ex.lua:6: bad argument #2 to 'timerLoopStart' (period must be at least 1 ms)
--> false	ex.lua:7: bad argument #1 to 'timerStart' (function expected, got nil)
--> 2097153
--> nil	timer limit reached (2)
--> 2097154
--> 0
--> 2097155
--> nil	timer limit reached (2)
--> 2097156
