"""The EU AI Act documents and the checks the rule language cannot express."""
