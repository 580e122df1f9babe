-- luasys --virtual-time --for 2h ex.lua
sys.timerLoopStart(function() print(sys.now()) end, 3600000)
--> 3600000
--> 7200000

-- Spec 11: --for accepts hours.
