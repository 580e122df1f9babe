66:breached & 22:00..06:00 debounce 00:02 => 55:on; wait(00:05); 55:off
