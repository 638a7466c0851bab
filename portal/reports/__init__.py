"""Aggregated figures for the team lead: never an individual file."""
