-- luasys --virtual-time -e "error('in e', 0)" ex.lua
print("must not run")
--! luasys: in e
-- exit status: 1

-- Spec 11: an uncaught error in a -e chunk is an error in a chunk: status 1.
