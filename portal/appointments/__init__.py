"""Appointments: the resident's agenda, calendar export, reminders and staff planning."""
