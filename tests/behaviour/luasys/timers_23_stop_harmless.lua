-- Checklist 23: stopping nil, unknown or already fired timers is harmless and returns
-- nothing.
local id = sys.timerStart(print, 10, "fired")
print(select("#", sys.timerStop(nil)), select("#", sys.timerStop(12345)))
sys.timerStop(2097999)
sys.timerStop(function() end)
sys.timerStop(print, "never started")
sys.timerStopAll(function() end)
sys.timerStart(function()
  print("stop fired", select("#", sys.timerStop(id)))
  sys.timerStop(id)
end, 20)
sys.timerStart(function()
  local me = sys.timerIsActive(id)
  print("own id inactive", me)
end, 30)
--> 0	0
--> fired
--> stop fired	0
--> own id inactive	nil
