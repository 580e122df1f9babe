-- Checklist 21: a timer's identity is its callback plus arguments (same count,
-- rawequal elements); an identical timerStart replaces, others add a timer.
local function f(...) print("f", sys.now(), ...) end
local function g(s) print("g", sys.now(), #s) end
local mt = {__eq = function() return true end, __tostring = function(t) return t.name end}
local t = setmetatable({name = "t"}, mt)
local u = setmetatable({name = "u"}, mt)
sys.timerStart(f, 10, "a")
sys.timerStart(f, 20, "a")
sys.timerStart(f, 15, "a", nil)
sys.timerStart(f, 5, "b")
sys.timerStart(f, 30, t)
sys.timerStart(f, 35, u)
sys.timerStart(f, 25)
sys.timerStart(f, 26)
sys.timerStart(f, 40, 1)
sys.timerStart(f, 45, 1.0)
sys.timerStart(g, 50, string.rep("x", 50))
sys.timerStart(g, 55, string.rep("x", 25) .. string.rep("x", 25))
print(rtos.stats().timers)
--> 8
--> f	5	b
--> f	15	a	nil
--> f	20	a
--> f	26
--> f	30	t
--> f	35	u
--> f	45	1.0
--> g	55	50
