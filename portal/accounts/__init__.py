"""Accounts: sign-in, activation codes, language, password; staff accounts for admins."""
