-- luasys --virtual-time --max-timers lots ex.lua
-- exit status: 2
-- stderr: any
print("must not run")

-- Spec 11: a malformed option value is a usage error (status 2).
