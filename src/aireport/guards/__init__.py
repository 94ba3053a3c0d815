"""Guards for what strangers supply: pure functions every layer may use (no file is opened here).

``paths`` keeps a reader inside its folder by real path, ``yaml`` parses YAML under depth and alias bounds
with every error located, ``jsonfile`` parses JSON strictly (duplicate keys, NaN, depth, huge numbers),
``cells`` makes spreadsheet cells inert, ``terminal`` escapes control characters before they are printed.
"""
