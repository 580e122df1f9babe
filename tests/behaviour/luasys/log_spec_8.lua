log.info("main", "hello", 42, nil, true)
log.setLevel("WARN")
log.info("main", "hidden")
log.style(1)
log.warn("net", "retry")
print(log.getLevel())
--> 3
--! 0.000 [INFO] main: hello 42 nil true
--! 0.000 [WARN] net: [ex.lua:5] retry

-- Spec 8 example, verbatim.
-- stderr lacks: hidden
