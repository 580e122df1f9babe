66:breached debounce => 55:off
