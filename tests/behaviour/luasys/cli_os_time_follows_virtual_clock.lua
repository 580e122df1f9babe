-- Spec 11: under --virtual-time os.time() and os.date() follow the loop clock.
local t0 = os.time()
sys.timerStart(function()
  print(os.time() - t0, os.time(os.date("*t")) - t0)
end, 5000)
sys.timerStart(function() print(os.time() - t0) end, 86400000)
--> 5	5
--> 86400
