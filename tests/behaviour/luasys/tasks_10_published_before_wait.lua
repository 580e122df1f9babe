-- Checklist 10: a message delivered before waitUntil subscribes is missed; a task that
-- publishes and then waits gets its own message (publishing is deferred), and the
-- main chunk's messages go out only when sys.run starts.
sys.publish("BOOT", "early")
sys.taskInit(function() print("c", sys.waitUntil("BOOT", 10)) end)
sys.taskInit(function()
  sys.wait(10)
  print("a", sys.waitUntil("EARLY", 50))
  sys.publish("OWN", 1)
  print("b", sys.waitUntil("OWN", 50), sys.now())
end)
sys.timerStart(sys.publish, 5, "EARLY", "x")
--> c	true	early
--> a	false
--> b	true	60
