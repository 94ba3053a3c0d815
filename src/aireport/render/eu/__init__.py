"""Side files of the EU documents (the complete top-domain list)."""
