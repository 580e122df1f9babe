-- luasys --virtual-time --slice-limit 100 ex.lua
-- A task in an endless loop is interrupted once it ran 100 ms (real time, even under
-- --virtual-time) without yielding; it is reported as a task error; the loop goes on.
sys.taskInitNamed("busy", function() sys.wait(1) while true do end end)
sys.timerStart(function() print("after") end, 5)
--> after
--~ task "busy" failed: ex.lua:4: run time limit exceeded (100 ms without yielding)
