-- Checklist 13: delivery is FIFO over all ids, and messages published during the
-- drain (by callbacks or resumed tasks) join its tail, before any timer.
sys.subscribe("A", function(x)
  print("A", x)
  if x == 1 then sys.publish("C", "from A") end
end)
sys.subscribe("B", function(x) print("B", x) end)
sys.subscribe("C", function(x) print("C", x) end)
sys.subscribe("D", function(x) print("D", x) end)
sys.taskInit(function()
  local _, x = sys.waitUntil("B")
  print("task", x)
  sys.publish("D", "from task")
end)
sys.publish("A", 1)
sys.publish("B", 2)
sys.publish("A", 3)
sys.publish("C", 4)
sys.timerStart(function() print("timer") end, 0)
--> A	1
--> B	2
--> task	2
--> A	3
--> C	4
--> C	from A
--> D	from task
--> timer
-- also-real-time
