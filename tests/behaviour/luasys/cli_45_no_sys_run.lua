-- Checklist 45: a script that never calls sys.run still runs its timers and tasks
-- (luasys calls sys.run after the main chunk); the hooks run at the end.
sys.onShutdown(function() print("hook", sys.now()) end)
sys.timerStart(function() print("timer ran", sys.now()) end, 10)
sys.taskInit(function() sys.wait(20) print("task ran", sys.now()) end)
print("main done")
--> main done
--> timer ran	10
--> task ran	20
--> hook	20
