-- luasys --virtual-time --for 1s ex.lua
-- Spec 4.1 and 4.2: a loop timer is active (already re-armed) in its own callback, so
-- an identical timerStart there replaces it with a one-shot: it fires once more, then
-- never again.
local n = 0
local function f()
  n = n + 1
  print("f", n, sys.now())
  if n == 1 then sys.timerStart(f, 5) end
end
sys.timerLoopStart(f, 10)
--> f	1	10
--> f	2	15
