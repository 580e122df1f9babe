-- Spec §4 statements.
local a, b = 1, 2
local z
a, b = 1
x = 5; x += 2; x -= 1; x *= 3; x /= 2; x %= 4
t = {a=1}; t.a *= 3; t["b"] = 2; $Count += 1
do local z = 5 end
while x > 0 do x = x - 1 if x == 2 then break end end
repeat local y = x until y
if a then b() elseif c then d() elseif e then f() else g() end
x = 4; case || x > 5 >> r = "big" || x > 2 >> r = "mid" || true >> r = "small" end
case end
r = ""; for i = 5, 1, -2 do r = r ++ i end
for i = 1, 3 do end
for k, v in pairs(t) do print(k, v) end
for _, v in ipairs(t), 1 do end
;;;
scene cozy = {56:value = 80, hall:off}
