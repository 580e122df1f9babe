local function tick(name) print(name, sys.now(), sys.timerIsActive(tick, name) == true) end
local a = sys.timerStart(tick, 100, "a")
sys.timerStart(tick, 100, "b")
local a2 = sys.timerStart(tick, 300, "a")
print(a, a2, sys.timerIsActive(a), sys.timerIsActive(a2) == tick, select("#", sys.timerIsActive(tick, "c")))
--> 2097152	2097154	nil	true	0
--> b	100	false
--> a	300	false

-- Spec 4.1 example, verbatim.
