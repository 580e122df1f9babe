return x === 'a' == true
