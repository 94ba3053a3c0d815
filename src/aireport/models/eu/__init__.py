"""Models of the EU AI Act documents: the Public Summary of Training Content and the Annex XI/XII data."""
