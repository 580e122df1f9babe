local co = sys.taskInit(function(a, b)
  print("start", a, b)
  sys.wait(100)
  print("end", sys.now())
end, 1, 2)
print(type(co), sys.coresume(sys.taskInit(coroutine.yield)))
--> start	1	2
--> thread	true
--> end	100

-- Spec 2.1 example, verbatim (so nothing may be added above it: line numbers matter).
