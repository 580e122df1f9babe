-- Spec 6.3: onError returns the previous handler; nil stands for the default report.
local function h() end
print(sys.onError(h) == nil)
print(sys.onError(nil) == h)
print(sys.onError(nil) == nil)
--> true
--> true
--> true
