-- Spec 3.3: unsubscribe takes one id or an array of ids, like subscribe.
local function f(x) print("f", x) end
sys.subscribe({"A", "B", "C"}, f)
sys.unsubscribe({"A", "C"}, f)
sys.publish("A", 1)
sys.publish("B", 2)
sys.publish("C", 3)
--> f	2
