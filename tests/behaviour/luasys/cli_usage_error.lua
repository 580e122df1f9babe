-- luasys --no-such-option ex.lua
-- exit status: 2
-- stderr: any
print("must not run")

-- Spec 11: an unknown option is a usage error: status 2, the script does not run.
