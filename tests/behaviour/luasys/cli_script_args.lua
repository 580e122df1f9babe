-- luasys --virtual-time ex.lua one two
print(#arg, arg[0], arg[1], arg[2], ...)
--> 2	ex.lua	one	two	one	two

-- Spec 11: arg and ... are as in lua.
