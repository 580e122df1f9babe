x = $$$store
