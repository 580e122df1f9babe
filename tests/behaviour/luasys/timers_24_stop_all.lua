-- Checklist 24: timerStopAll(fn) stops every timer of fn, whatever its arguments or
-- kind, and leaves other callbacks alone.
local function f(x) print("f", x) end
local function g(x) print("g", x) end
sys.timerStart(f, 10, 1)
sys.timerStart(f, 20, 2)
sys.timerLoopStart(f, 5, 3)
sys.timerAdvStart(f, 5, 2, 4)
sys.timerStart(f, 30)
sys.timerStart(g, 10, 1)
print(select("#", sys.timerStopAll(f)), rtos.stats().timers)
--> 0	1
--> g	1
