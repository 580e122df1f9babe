-- Spec 2.5 and 5: closing a task blocked in waitMsg drops its wait at once (its timer
-- too); the mailbox stays, and later sendMsg calls resume nothing.
local co = sys.taskInitEx(function() sys.waitMsg("box", nil, 100) print("never") end, "box")
coroutine.close(co)
print(sys.sendMsg("box", 1), rtos.stats().timers, sys.taskInfo(co).state)
sys.timerStart(function() print(sys.sendMsg("box", 2)) end, 200)
--> true	0	dead
--> true
