"""The Chinese corpus self-assessment and the checks the rule language cannot express."""
