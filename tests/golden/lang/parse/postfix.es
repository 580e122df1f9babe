-- Spec §3.7 suffixes on any primary; obj:name is a property get.
a = {10,20,30}[2]
b = {a=1}.a
c = #alarm{zone=3}.zone
d = "garage":isOpen
e = ("abc"):upper()
f = {77,78}:value:average
g = 56:setValue(70)
h = math.floor(2.7)
i = f{1, 2}
j = f"str"
k = obj:m{1}
l = a.b[c]:d(e):f
m = 55:isOn
55:on
"garage":close
56:dim = {10, "up"}
$Mode = 66:breached
log("%s is %d", "x", 5)
