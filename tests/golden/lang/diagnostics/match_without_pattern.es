return 1 ===
