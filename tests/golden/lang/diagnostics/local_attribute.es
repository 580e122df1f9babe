local x <const> = 5
