-- Spec 0: message ids are compared as table keys (42.0 is 42), any non-nil, non-NaN
-- value can be an id.
sys.subscribe(42, function(...) print("42 got", ...) end)
sys.subscribe(true, function(...) print("true got", ...) end)
sys.subscribe(1.5, function(...) print("1.5 got", ...) end)
sys.publish(42.0, "float id")
sys.publish(true, "boolean id")
sys.publish(1.5, "float key")
sys.publish(0 / 0, "nan")
sys.taskInit(function() print("task", sys.waitUntil(7, 100)) end)
sys.timerStart(sys.publish, 10, 7.0, "seven")
--> 42 got	float id
--> true got	boolean id
--> 1.5 got	float key
--> task	true	seven
