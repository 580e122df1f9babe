-- luasys --virtual-time --for 5m ex.lua
sys.timerLoopStart(function() print(sys.now()) end, 100000)
--> 100000
--> 200000
--> 300000

-- Spec 11: --for accepts minutes.
