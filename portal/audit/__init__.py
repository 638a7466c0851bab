"""Audit log: every staff look at or change of a resident's file, and every refused attempt."""
