-- Checklist 12: publish returns nothing and never delivers during the call; nil and
-- NaN ids are ignored (not even queued).
sys.subscribe("N", function(...) print("N", select("#", ...), ...) end)
print("publish returns", select("#", sys.publish("N", 1)))
print("after publish")
sys.publish(nil, 2)
sys.publish(0 / 0, 3)
sys.publish("N", nil)
print("queued", rtos.stats().queued)
sys.subscribe("O", function()
  sys.publish("N", "inner")
  print("after inner publish")
end)
sys.publish("O")
--> publish returns	0
--> after publish
--> queued	2
--> N	1	1
--> N	1	nil
--> after inner publish
--> N	1	inner
