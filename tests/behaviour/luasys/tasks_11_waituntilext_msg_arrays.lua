-- Checklist 11: waitUntilExt gives the id, waitUntilMsg the arguments; id arrays work
-- and the task leaves every id of the array when the wait ends.
sys.taskInit(function()
  print(sys.waitUntilExt("P", 100))
  print(sys.waitUntilExt({"Q", "R"}, 100))
  print(sys.waitUntilExt({"Q", "R"}, 10))
  print(sys.waitUntilMsg("S"))
  print(sys.waitUntil({"Q", "R"}, 100))
  sys.wait(100)
  print("slept until", sys.now())
end)
sys.timerStart(sys.publish, 10, "P", 1)
sys.timerStart(sys.publish, 20, "R", 2, nil)
sys.timerStart(sys.publish, 40, "S", "s1", "s2")
sys.timerStart(sys.publish, 50, "Q", 3)
sys.timerStart(sys.publish, 60, "R", "must not wake the sleeper")
--> P	1
--> R	2	nil
--> false
--> s1	s2
--> true	3
--> slept until	150
