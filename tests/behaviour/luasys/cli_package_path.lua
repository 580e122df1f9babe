-- Spec 11: <script dir>/?.lua leads package.path, so modules beside the script load
-- before any other.
local f = assert(io.open("helper_mod.lua", "w"))
f:write("return { value = 7 }\n")
f:close()
local first = package.path:match("^[^;]*")
local found = io.open((first:gsub("%?", "helper_mod")), "r")
print(require("helper_mod").value, found ~= nil)
--> 7	true
