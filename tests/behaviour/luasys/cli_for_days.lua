-- luasys --virtual-time --for 1d ex.lua
sys.timerLoopStart(function() print(sys.now()) end, 43200000)
--> 43200000
--> 86400000

-- Spec 11: --for accepts days.
