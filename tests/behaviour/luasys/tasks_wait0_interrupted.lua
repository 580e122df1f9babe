-- Spec 2.2 and 1.1 step 5: a message to a coroutine subscriber ends its sys.wait(0)
-- early (returning id, args...); the ended wait is not resumed again in that pass.
sys.taskInit(function()
  sys.subscribe("X", coroutine.running())
  print("wait0 returned", sys.wait(0))
  print("next")
  sys.wait(0)
  print("end")
end)
sys.publish("X", 1)
sys.taskInit(function() for i = 1, 3 do print("other", i) sys.wait(0) end end)
--> other	1
--> wait0 returned	X	1
--> next
--> other	2
--> end
--> other	3
