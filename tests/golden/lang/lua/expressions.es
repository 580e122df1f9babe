-- Expressions (spec §3): operators, precedence, literals, tables, functions.
a = 10 - 3 - 2
b = 2 ^ 3 ^ 2 + -2 ^ 2
c = !nil == true
d = nil ?? 1 == 1
e = "T=" ++ 20 / 5 ++ x
f = 10:00..14:00
g = {10, 20, 30}[2] + {a = 1}.a
h = (x -> x * 2)(21)
i = ((p, q) -> p + q)(1, 2)
j = [k for k, v in {a = 1}]
k = #alarm{zone = 3}.zone
l = #tick
m = t/08:00 + n/18:00 + +/00:10
n2 = 2025/12/24/18:00 - /12/24
o = function(s, ...) return s, select("#", ...) end
p = ("abc"):upper()
q = x & y | !z
r = 1 < 2 & 3 >= 4 & 5 != 6
