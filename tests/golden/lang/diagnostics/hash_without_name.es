return # t
