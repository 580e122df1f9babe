-- Checklist 17: subscribers added during a delivery miss it; functions removed during
-- it still get it; a coroutine removed before its turn is not resumed.
local function g(x) print("g", x) end
local function h(x) print("h", x) end
sys.subscribe("M", function(x)
  print("first", x)
  sys.unsubscribe("M", g)
  sys.subscribe("M", h)
end)
sys.subscribe("M", g)
local co
sys.subscribe("K", function(x)
  print("remover", x)
  if x == 2 then sys.unsubscribe("K", co) end
end)
co = sys.taskInit(function()
  sys.subscribe("K", coroutine.running())
  while true do print("co got", coroutine.yield()) end
end)
sys.publish("M", 1)
sys.publish("M", 2)
sys.publish("K", 1)
sys.publish("K", 2)
sys.publish("K", 3)
--> first	1
--> g	1
--> first	2
--> h	2
--> remover	1
--> co got	K	1
--> remover	2
--> remover	3
