-- Checklist 35: sys.tasks() lists unended tasks by creation with state, waiting_on
-- and wake_at; taskInfo answers for ended tasks and gives nil for others.
local function list()
  for _, t in ipairs(sys.tasks()) do
    print(t.name, t.state, t.waiting_on, t.wake_at, type(t.co))
  end
end
sys.taskInitNamed("sleeper", function() sys.wait(100) end)
sys.taskInitNamed("multi", function() sys.waitUntil({"A", "B"}, 50) end)
sys.taskInitNamed("ready", function() sys.wait(0) end)
sys.taskInitNamed("yielder", function() coroutine.yield() end)
sys.taskInitEx(function() sys.waitMsg("box") end, "box")
sys.taskInitNamed("watcher", function()
  sys.wait(10)
  print("-- at", sys.now())
  list()
end)
print("-- at", sys.now())
list()
print(sys.taskInfo(coroutine.create(print)) == nil)
local records = sys.tasks()
records[1].name = "changed"
print(sys.tasks()[1].name, sys.tasks() ~= sys.tasks())
--> -- at	0
--> sleeper	waiting	sleep	100	thread
--> multi	waiting	message A,B	50	thread
--> ready	ready	nil	nil	thread
--> yielder	waiting	yield	nil	thread
--> box	waiting	mailbox box	nil	thread
--> watcher	waiting	sleep	10	thread
--> true
--> sleeper	true
--> -- at	10
--> sleeper	waiting	sleep	100	thread
--> multi	waiting	message A,B	50	thread
--> yielder	waiting	yield	nil	thread
--> box	waiting	mailbox box	nil	thread
--> watcher	running	nil	nil	thread
