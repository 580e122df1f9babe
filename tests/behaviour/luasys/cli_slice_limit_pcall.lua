-- luasys --slice-limit 100 ex.lua
-- pcall cannot swallow the interrupt: it is raised again until the slice unwound.
sys.timerStart(function()
  while true do pcall(function() while true do end end) end
end, 1)
sys.timerStart(function() print("after") end, 2)
--> after
--~ (ex.lua:3) failed: ex.lua:4: run time limit exceeded (100 ms without yielding)
