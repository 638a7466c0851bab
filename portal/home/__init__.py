"""The resident's home page."""
