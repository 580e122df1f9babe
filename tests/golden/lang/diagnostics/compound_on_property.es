55:value += 1
