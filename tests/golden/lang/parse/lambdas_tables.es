-- Spec §3.8 lambdas, §3.9 comprehensions, tables.
a = (x -> x * 2)(21)
b = ((a, b) -> a + b)(1, 2)
c = () -> 1
d = map({1,2}, x -> x * 10)
e = reduce({1,2,3}, (a, b) -> a + b, 0)
f = x -> y -> x + y
g = [v * 2 for v in {1,2,3}]
h = [v for v in {1,2,3,4} if v % 2 == 0]
i = [k for k, v in {a=1}]
j = [ [v for v in x] for x in t]
k = {1, 2; 3,}
l = {a = 1, [k] = v, f(x), [2] = "two"}
m = {[x for x in t], n = [x for x in t]}
n = {}
