-- Checklist 26: a loop timer is active in its own callback and can be stopped there;
-- each re-arm counts as a new start (spec 1.2), so a one-shot started earlier with the
-- same deadline fires first.
local id
id = sys.timerLoopStart(function()
  print("loop", sys.now(), sys.timerIsActive(id) ~= nil)
  if sys.now() >= 30 then sys.timerStop(id) end
end, 10)
sys.timerStart(function() print("one-shot", sys.now()) end, 20)
sys.timerStart(function() print("after stop", sys.timerIsActive(id)) end, 40)
--> loop	10	true
--> one-shot	20
--> loop	20	true
--> loop	30	true
--> after stop	nil
