-- Spec 1.2 and 4.1: fractional ms round up; timerStart(fn, 0) fires on the next pass;
-- the deadline is sys.now() at the call plus ms.
sys.timerStart(function() print("2.2 ms", sys.now()) end, 2.2)
sys.timerStart(function() print("0 ms", sys.now()) end, 0)
sys.timerStart(function() print("-5 ms", sys.now()) end, -5)
sys.timerStart(function()
  sys.timerStart(function() print("1.5 ms later", sys.now()) end, 1.5)
end, 10)
--> 0 ms	0
--> -5 ms	0
--> 2.2 ms	3
--> 1.5 ms later	12
