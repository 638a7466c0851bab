"""The personal plan (PIP): baseline and goals per life domain, steps, comments, building blocks."""
