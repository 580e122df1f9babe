-- luasys --version
--> LuaSys-1.0.0

-- Spec 11: --version prints the version and exits 0 (no script is given).
