"""Engine layer: compiles rules and measures into as few DuckDB scans as possible and runs them."""
