-- Spec 3.2: a coroutine subscriber is resumed with (id, args...) while it is still
-- subscribed and suspended, even a plain coroutine that sys never started; once it is
-- dead it is skipped silently.
local co = coroutine.create(function(id, x)
  print("raw first", id, x)
  local id2, y = coroutine.yield()
  print("raw second", id2, y)
end)
sys.subscribe("R", co)
sys.publish("R", 1)
sys.publish("R", 2)
sys.publish("R", 3)
sys.timerStart(function() print("status", coroutine.status(co)) end, 10)
--> raw first	R	1
--> raw second	R	2
--> status	dead
