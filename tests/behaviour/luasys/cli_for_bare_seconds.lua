-- luasys --virtual-time --for 2 ex.lua
sys.timerLoopStart(function() print(sys.now()) end, 1000)
--> 1000
--> 2000

-- Spec 11: a bare --for number is seconds.
