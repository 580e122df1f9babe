-- Spec 2.3: waitUntil(id, 0) stays subscribed until step 5 of the next pass, so a
-- message published by a timer still due in the current pass (started after the
-- task's own wake-up timer) reaches it.
sys.taskInit(function()
  sys.wait(10)
  print("poll", sys.waitUntil("T", 0))
  print("poll", sys.waitUntil("T", 0))
end)
sys.timerStart(sys.publish, 10, "T", "caught")
--> poll	true	caught
--> poll	false
