-- Spec 4.1 and 4.2: timer starts check their arguments (ms must be a number).
print((pcall(sys.timerStart, print, {})))
print((pcall(sys.timerStart, print)))
print((pcall(sys.timerLoopStart, print, -3)))
print(rtos.stats().timers)
--> false
--> false
--> false
--> 0
