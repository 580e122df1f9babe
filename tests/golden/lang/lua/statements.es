-- Statements (spec §4): assignment forms, control flow, functions, script value.
a, b = 1
x = 5
x += 2
t = {a = 1}
t.a *= 3
$Count = ($Count ?? 0) + 1
$Count -= 1
r = ""
for i = 5, 1, -2 do
  r = r ++ i
end
for k, v in pairs(t) do
  log("%s=%s", k, v)
end
while x > 0 do
  x -= 1
  if x == 3 then break end
end
repeat
  local y = x
  x += 1
until y > 4
case
  || x > 5 >> r = "big"
  || x > 2 >> r = "mid"
  || true >> r = "small"
end
function add(a, b) return a + b end
local function fact(n) if n <= 1 then return 1 end return n * fact(n - 1) end
obj = {n = 2}
function obj:twice() return self.n * 2 end
do
  local z = 5
  z %= 3
end
55:on
{55, 56}:off
56:value = 70
56:setValue(70)
x, 55:value, $y, t.b = 1, true, {1}, 2
scene cozy = {56:value = 80, hall:off, {55, 56}:value = level + 1}
scene movie = {activate: {55:off}, deactivate: {55:on, 56:value = 99}}
