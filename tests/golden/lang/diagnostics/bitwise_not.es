return ~x
