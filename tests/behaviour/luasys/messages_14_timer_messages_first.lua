-- Checklist 14: a timer callback's messages are delivered before the next due timer
-- of the same pass fires.
sys.subscribe("T", function(x) print("msg", x) end)
sys.timerStart(function() print("t1") sys.publish("T", "from t1") end, 10)
sys.timerStart(function() print("t2") sys.publish("T", "from t2") end, 10)
sys.timerStart(function() print("t3") end, 20)
--> t1
--> msg	from t1
--> t2
--> msg	from t2
--> t3
-- also-real-time
