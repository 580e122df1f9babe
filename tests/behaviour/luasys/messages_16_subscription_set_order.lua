-- Checklist 16: subscribing twice gives one call; calls follow subscription order
-- (not hash order); an id array subscribes to each id.
local function mk(name) return function(x) print(name, x) end end
local f1, f2, f3 = mk("f1"), mk("f2"), mk("f3")
sys.subscribe("S", f2)
sys.subscribe("S", f1)
sys.subscribe("S", f3)
sys.subscribe("S", f2)
sys.subscribe({"S", "T"}, f3)
sys.publish("S", 1)
sys.publish("T", 2)
local seen = {}
for i = 1, 12 do sys.subscribe("MANY", function() seen[#seen + 1] = i end) end
sys.subscribe("MANY", function() print(table.concat(seen, " ")) end)
sys.publish("MANY")
sys.taskInit(function()
  local me = coroutine.running()
  sys.subscribe("C", me)
  sys.subscribe("C", me)
  print("co", coroutine.yield())
  print("co", coroutine.yield())
end)
sys.publish("C", 1)
sys.publish("C", 2)
-- Unsubscribing and subscribing again moves a function to the end.
sys.timerStart(function()
  sys.unsubscribe("S", f2)
  sys.subscribe("S", f2)
  sys.publish("S", 3)
end, 10)
--> f2	1
--> f1	1
--> f3	1
--> f3	2
--> 1 2 3 4 5 6 7 8 9 10 11 12
--> co	C	1
--> co	C	2
--> f1	3
--> f3	3
--> f2	3
-- also-real-time
