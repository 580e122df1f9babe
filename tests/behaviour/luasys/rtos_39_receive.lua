-- Checklist 39: rtos.receive gives MSG_TIMER, id, rep (repeats left, down to 0), -1
-- on timeout; rtos.timer_start validates ms and replaces a pending timer of its id.
local function show(...) print(sys.now(), ...) end
print(rtos.MSG_TIMER, rtos.INF_TIMEOUT)
print(rtos.timer_start(3, 20, 2), rtos.timer_start(4, 1.5), rtos.timer_start(4, 0), rtos.timer_start(4, -5))
show(rtos.receive(rtos.INF_TIMEOUT))
show(rtos.receive(-1))
show(rtos.receive(-1))
show(rtos.receive(15))
rtos.timer_start(5, 100)
rtos.timer_start(5, 10)
show(rtos.receive(-1))
show(rtos.receive(200))
print(pcall(rtos.receive, -1))
rtos.timer_start(6, 10)
rtos.timer_stop(6)
rtos.timer_stop(99)
sys.timerStart(function() print(pcall(rtos.receive, 0)) end, 5)
--> 1	-1
--> 1	0	0	0
--> 20	1	3	2
--> 40	1	3	1
--> 60	1	3	0
--> 75	-1
--> 85	1	5	0
--> 285	-1
--> false	rtos.receive: nothing can arrive (no rtos timers, no producers)
--> false	rtos.receive: cannot be called while sys.run is running
