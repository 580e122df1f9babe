local function f(x) print("f", x) sys.timerStopAll(f) end
sys.timerStart(f, 10, 1) sys.timerStart(f, 10, 2) sys.timerStart(f, 10, 3) sys.timerStart(f, 10)
sys.timerStop(f)
sys.timerStop(f, 1)
sys.timerStart(print, 5, "first")
--> first
--> f	2

-- Spec 4.3 example, verbatim.
-- also-real-time
