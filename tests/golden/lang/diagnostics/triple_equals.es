return x === 1
