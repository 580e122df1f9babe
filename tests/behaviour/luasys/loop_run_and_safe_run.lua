-- Spec 6.1: sys.run cannot be re-entered; while sys.safeRun() do end runs the loop and
-- safeRun gives false once nothing is left.
sys.timerStart(function() print(pcall(sys.run)) end, 5)
sys.run()
sys.timerStart(print, 10, "tick")
local passes = 0
while sys.safeRun() do passes = passes + 1 end
print("done", sys.now(), sys.safeRun(), passes > 0)
--> false	sys.run: already running
--> tick
--> done	15	false	true
