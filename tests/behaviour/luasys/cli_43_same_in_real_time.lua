-- Checklist 43: output without times is the same with and without --virtual-time
-- (the runner runs this script both ways).
sys.subscribe("DONE", function(who) print("done", who) end)
sys.taskInit(function()
  for i = 1, 3 do sys.wait(5) print("fast", i) end
  sys.publish("DONE", "fast")
end)
sys.taskInit(function()
  print("slow got", sys.waitUntil("GO", 100))
  sys.wait(60)
  print("slow", "after 60")
  sys.publish("DONE", "slow")
end)
sys.timerStart(sys.publish, 7, "GO", "go")
--> fast	1
--> slow got	true	go
--> fast	2
--> fast	3
--> done	fast
--> slow	after 60
--> done	slow
-- also-real-time
