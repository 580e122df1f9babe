-- luasys --virtual-time --for 250ms ex.lua
sys.timerLoopStart(function() print(sys.now()) end, 100)
--> 100
--> 200

-- Spec 11: --for accepts ms units.
