-- Spec §3.1 precedence and associativity.
a = 10 - 3 - 2
b = 2 ^ 3 ^ 2
c = -2 ^ 2
d = 2 ^ -1
e = !nil == true
f = nil ?? 1 == 1
g = a | b & c or d and e
h = x ++ y + 1 .. z * 2
i = not a == b
j = 7 // 2 % 3
k = "T=" ++ 20 / 5
l = (1 + 2) * (3 - 4)
m = a ~= b
o = a != b
p = "a" ++ 1 ++ nil
q = 1 & nil | "x"
