"""Caseload: the resident's file and who guides them; the staff caseload list."""
