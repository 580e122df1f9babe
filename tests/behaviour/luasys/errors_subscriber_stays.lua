-- Spec 6.2: after a subscriber fails it stays subscribed; a failing loop timer keeps
-- firing.
local calls = 0
sys.subscribe("E", function(x)
  calls = calls + 1
  if calls == 1 then error("first call fails", 0) end
  print("second call", x)
end)
sys.publish("E", 1)
sys.publish("E", 2)
local fires, id = 0, nil
id = sys.timerLoopStart(function()
  fires = fires + 1
  if fires == 3 then sys.timerStop(id) print("third fire", sys.now()) return end
  error("fire " .. fires, 0)
end, 10)
--> second call	2
--> third fire	30
--! 0.000 [ERROR] sys: subscriber (ex.lua:4) for message "E" failed: first call fails
--! 0.010 [ERROR] sys: timer 2097152 (ex.lua:12) failed: fire 1
--! 0.020 [ERROR] sys: timer 2097152 (ex.lua:12) failed: fire 2
