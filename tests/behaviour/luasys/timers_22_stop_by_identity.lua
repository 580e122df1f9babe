-- Checklist 22: timerStop(fn) stops only the timer of fn started without arguments;
-- timerStop(fn, ...) stops the one with exactly those arguments.
local function f(...) print("f", select("#", ...), ...) end
sys.timerStart(f, 10)
sys.timerStart(f, 10, "x")
sys.timerStart(f, 10, "x", "y")
sys.timerStart(f, 10, nil)
sys.timerStop(f)
sys.timerStop(f, "x", "y")
print(rtos.stats().timers, sys.timerIsActive(f, "x"), sys.timerIsActive(f, nil))
--> 2	true	true
--> f	1	x
--> f	1	nil
