-- Checklist 18: removing an absent subscriber does nothing; bad arguments raise.
local function f(x) print("f", x) end
sys.unsubscribe("NOPE", f)
sys.subscribe("X", f)
sys.unsubscribe("X", print)
sys.unsubscribe("X", coroutine.create(print))
sys.unsubscribe("Y", f)
print(pcall(function() sys.subscribe(nil, f) end))
print(pcall(function() sys.subscribe("X", "str") end))
sys.publish("X", 1)
--> false	ex.lua:8: bad argument #1 to 'subscribe' (message id expected, got nil)
--> false	ex.lua:9: bad argument #2 to 'subscribe' (function or thread expected, got string)
--> f	1
