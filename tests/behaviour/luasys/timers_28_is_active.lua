-- Checklist 28: timerIsActive(id) gives the pending timer's callback or nil;
-- timerIsActive(fn, ...) gives true or no value at all.
local function f() end
local id = sys.timerStart(f, 10, "a")
print(sys.timerIsActive(id) == f, sys.timerIsActive(id + 1))
print(sys.timerIsActive(f, "a"), select("#", sys.timerIsActive(f)), select("#", sys.timerIsActive(f, "b")))
sys.timerStop(id)
print(sys.timerIsActive(id), select("#", sys.timerIsActive(f, "a")))
local loop
loop = sys.timerLoopStart(function()
  print("loop active", sys.timerIsActive(loop) ~= nil, sys.timerIsActive(print, "x"))
  sys.timerStop(loop)
end, 5)
sys.timerStart(print, 10, "x")
--> true	nil
--> true	0	0
--> nil	0
--> loop active	true	true
--> x
