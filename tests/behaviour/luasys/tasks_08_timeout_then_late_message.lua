-- Checklist 8: after a timeout a late message is lost (the task is unsubscribed and
-- nothing is retained); a satisfied wait never times out later.
sys.taskInit(function()
  print("1", sys.waitUntil("LATE", 50))
  print("2", sys.now())
  sys.wait(100)
  print("3", sys.waitUntil("LATE", 100))
  print("4", sys.now())
  print("5", sys.waitUntil("SOON", 100))
  print("6", sys.now())
  sys.wait(200)
  print("7", sys.now())
end)
sys.timerStart(sys.publish, 60, "LATE", "lost")
sys.timerStart(sys.publish, 260, "SOON", "ok")
--> 1	false
--> 2	50
--> 3	false
--> 4	250
--> 5	true	ok
--> 6	260
--> 7	460
