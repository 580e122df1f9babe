repeat x() until done = true
