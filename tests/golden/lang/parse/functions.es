-- Spec §4.5 functions.
function add(a, b) return a + b end
local function n(...) return select('#', ...) end
obj = {n = 2}
function obj:twice() return self.n * 2 end
function a.b.c:m(x, ...) local t = {...} return x, t end
f = function (...) return ..., function () end end
g = function () end
return add(2, 3)
