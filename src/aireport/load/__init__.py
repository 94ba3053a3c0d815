"""Load layer: files in, models and engine scans out. Every error names file, line or row, and field."""
