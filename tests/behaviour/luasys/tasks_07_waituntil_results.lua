-- Checklist 7: waitUntil returns true and every argument (trailing nils too), or a
-- single false on timeout.
local function show(...) print(sys.now(), select("#", ...), ...) end
sys.taskInit(function()
  show(sys.waitUntil("A", 100))
  show(sys.waitUntil("A", 100))
  show(sys.waitUntil("A", 100))
end)
sys.timerStart(sys.publish, 10, "A", nil, 2, nil)
sys.timerStart(sys.publish, 20, "A")
--> 10	4	true	nil	2	nil
--> 20	1	true
--> 120	1	false
