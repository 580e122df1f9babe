-- Spec 6.2: <message> is a string or number as is, else __tostring, else
-- "(error object is a <type> value)"; <where> is [C] for a C function.
sys.taskInitNamed("nil error", function() error() end)
sys.taskInitNamed("boolean error", function() error(false) end)
sys.taskInitNamed("float error", function() error(2.5) end)
sys.subscribe("X", error)
sys.publish("X", "raised by a C function")
--! 0.000 [ERROR] sys: task "nil error" failed: (error object is a nil value)
--! 0.000 [ERROR] sys: task "boolean error" failed: (error object is a boolean value)
--! 0.000 [ERROR] sys: task "float error" failed: 2.5
--! 0.000 [ERROR] sys: subscriber ([C]) for message "X" failed: raised by a C function
