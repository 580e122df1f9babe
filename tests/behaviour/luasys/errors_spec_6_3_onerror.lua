sys.onError(function(e) print(e.kind, e.message, e.where) end)
sys.subscribe("X", function() error("bad", 0) end)
sys.publish("X")
--> subscriber	bad	ex.lua:2

-- Spec 6.3 example, verbatim.
