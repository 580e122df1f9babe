-- Checklist 4: sys.wait(0) loops alternate, one step per pass, after the pass's due
-- timers and queued messages (spec 1.1 steps 2, 3 and 5).
sys.subscribe("M", function(x) print("msg", x) end)
sys.taskInit(function()
  for i = 1, 3 do
    print("A", i)
    sys.publish("M", "A" .. i)
    sys.wait(0)
  end
end)
sys.taskInit(function()
  for i = 1, 3 do print("B", i) sys.wait(0) end
end)
sys.timerStart(function() print("timer") sys.publish("M", "from timer") end, 0)
sys.publish("M", "main")
--> A	1
--> B	1
--> msg	A1
--> msg	main
--> timer
--> msg	from timer
--> A	2
--> msg	A2
--> B	2
--> A	3
--> msg	A3
--> B	3
-- also-real-time
