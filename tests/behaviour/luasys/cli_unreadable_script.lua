-- luasys --virtual-time no-such-script.lua
-- exit status: 2
-- stderr: any

-- Spec 11: an unreadable script gives status 2.
