"""Side files of the Chinese assessment (the reviewer's sample file)."""
