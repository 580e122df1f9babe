-- Spec 0: a message keeps the exact count of its arguments, trailing nils included,
-- however many there are (the Lua queue has no four-argument limit).
sys.subscribe("W", function(...) print(select("#", ...), ...) end)
sys.publish("W", 1, nil, 3, nil, 5, nil, 7, nil, 9, nil)
sys.publish("W")
sys.publish("W", nil)
--> 10	1	nil	3	nil	5	nil	7	nil	9	nil
--> 0
--> 1	nil
