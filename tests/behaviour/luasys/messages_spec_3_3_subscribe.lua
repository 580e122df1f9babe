local function f(a, b) print("f", a, b) sys.unsubscribe("X", f) sys.publish("X", 3) end
sys.subscribe("X", f) sys.subscribe("X", f)
sys.publish("X", 1, 2)
sys.taskInit(function()
  sys.subscribe("PING", coroutine.running())
  print(sys.wait(1000))
  print(sys.now())
end)
sys.timerStart(sys.publish, 10, "PING", 7)
--> f	1	2
--> PING	7
--> 10

-- Spec 3.3 example, verbatim.
