local function late(x) print("late", x) end
sys.subscribe("M", function(x)
  print("got", x)
  sys.subscribe("M", late)
  if x == 1 then sys.publish("M", 2) end
end)
sys.publish("M", 1)
print("published")
--> published
--> got	1
--> got	2
--> late	2

-- Spec 3.2 example, verbatim.
-- also-real-time
