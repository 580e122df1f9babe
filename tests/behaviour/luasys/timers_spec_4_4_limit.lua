-- luasys --virtual-time --max-timers 1 ex.lua
print(sys.timerStart(print, 10, "a"))
print(sys.timerStart(print, 10, "b"))
print(sys.timerStart(print, 20, "a"))
--> 2097152
--> nil	timer limit reached (1)
--> 2097153
--> a

-- Spec 4.4 example, verbatim.
