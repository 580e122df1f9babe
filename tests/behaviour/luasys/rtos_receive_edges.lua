-- Spec 7: rtos.receive(0) polls; a timer due exactly when the timeout ends is received;
-- rtos.timer_stop cancels; rep -1 repeats until stopped.
local function show(...) print(sys.now(), ...) end
rtos.timer_start(1, 10)
show(rtos.receive(0))
show(rtos.receive(10))
rtos.timer_start(2, 5, -1)
show(rtos.receive(-1))
show(rtos.receive(-1))
rtos.timer_stop(2)
show(rtos.receive(7))
--> 0	-1
--> 10	1	1	0
--> 15	1	2	-1
--> 20	1	2	-1
--> 27	-1
