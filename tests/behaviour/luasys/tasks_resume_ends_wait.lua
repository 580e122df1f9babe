-- Spec 2.2 and 2.3: any other resume ends a wait, cancels its timer and returns the
-- resumer's values; for waitUntil a non-nil first value gives true plus the rest,
-- nil gives false.
local waiter = sys.taskInit(function()
  print("a", sys.waitUntil("NEVER", 100))
  print("b", sys.waitUntil("NEVER", 100))
  print("c", sys.wait(100))
  sys.wait(200)
  print("d", sys.now())
end)
sys.timerStart(function() coroutine.resume(waiter, "X", 1, 2) end, 10)
sys.timerStart(function() coroutine.resume(waiter, nil, 3) end, 20)
sys.timerStart(function() coroutine.resume(waiter, "hi", nil) end, 30)
--> a	true	1	2
--> b	false
--> c	hi	nil
--> d	230
