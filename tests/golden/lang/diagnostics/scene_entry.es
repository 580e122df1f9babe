scene wakeup = {lights = 1}
