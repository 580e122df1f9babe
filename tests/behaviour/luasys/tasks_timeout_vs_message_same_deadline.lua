-- Spec 1.1 step 3 and 2.3: when a message and a timeout are due at the same time, the
-- timer started first decides: a publisher started before the wait delivers (and the
-- timeout, cancelled meanwhile, never fires); a timeout started first wins.
sys.timerStart(sys.publish, 100, "E", "first")
sys.taskInit(function()
  print(sys.waitUntil("E", 100))
  print(sys.waitUntil("F", 100))
  print(sys.now())
end)
sys.taskInit(function()
  sys.wait(100)
  sys.timerStart(sys.publish, 100, "F", "late")
end)
--> true	first
--> false
--> 200
