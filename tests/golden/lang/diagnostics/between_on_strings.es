return "a" .. "b"
