-- luasys --virtual-time -e "X = 1" -e "X = X + 1; print('e', X)" ex.lua
print("script", X)
--> e	2
--> script	2

-- Spec 11: -e chunks run before the script, in order.
