sys.taskInit(function()
  print(sys.waitUntil("READY", 500))
  print(sys.waitUntil("READY", 500))
  sys.publish("SELF", 1)
  print(sys.waitUntil("SELF"), sys.now())
  print(sys.waitUntilExt({"A", "B"}, 50))
  print(sys.waitUntilMsg("C"))
end)
sys.timerStart(sys.publish, 100, "READY", "x", nil)
sys.timerStart(sys.publish, 610, "B", 1)
sys.timerStart(sys.publish, 620, "C", 2, 3)
--> true	x	nil
--> false
--> true	600
--> B	1
--> 2	3

-- Spec 2.3 example, verbatim.
