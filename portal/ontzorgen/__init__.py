"""Ontzorgen: the six months in which the municipality pays the fixed costs."""
