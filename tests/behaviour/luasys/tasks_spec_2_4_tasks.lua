sys.taskInitNamed("sleeper", function() sys.wait(1000) end)
sys.taskInitNamed("listener", function() sys.waitUntil("GO") end)
local done = sys.taskInit(function() end)
for _, t in ipairs(sys.tasks()) do print(t.name, t.state, t.waiting_on, t.wake_at) end
print(sys.taskInfo(done).state, sys.taskInfo(done).name)
--> sleeper	waiting	sleep	1000
--> listener	waiting	message GO	nil
--> dead	task@ex.lua:3

-- Spec 2.4 example, verbatim.
