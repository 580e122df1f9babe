-- Spec 4: identity is the callback plus arguments, whatever the kind, so an identical
-- timerStart replaces a pending loop timer; timerIsActive sees loop timers too.
local function f(x) print("f", x, sys.now()) end
sys.timerLoopStart(f, 10, "a")
print(sys.timerIsActive(f, "a"))
sys.timerStart(f, 25, "a")
print(rtos.stats().timers)
--> true
--> 1
--> f	a	25
