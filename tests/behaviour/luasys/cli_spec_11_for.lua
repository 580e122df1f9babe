-- luasys --virtual-time --for 1s ex.lua
sys.timerLoopStart(function() print(sys.now()) end, 400)
sys.run()
print("not reached")
--> 400
--> 800

-- Spec 11 example, verbatim.
