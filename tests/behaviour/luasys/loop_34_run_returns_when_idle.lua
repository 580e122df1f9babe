-- Checklist 34: sys.run returns when nothing is left to do, though tasks wait forever
-- (for messages without timeout, or in a plain yield) and subscriptions and rtos
-- timers remain; it may run again.
sys.taskInit(function() sys.waitUntil("NEVER") print("unreachable") end)
sys.taskInit(function() coroutine.yield() end)
sys.subscribe("X", print)
rtos.timer_start(5, 1000)
sys.run()
print("run returned", sys.now(), #sys.tasks())
sys.timerStart(function() print("second run", sys.now()) end, 10)
sys.run()
print("again", sys.now())
--> run returned	0	2
--> second run	10
--> again	10
