"""Pure helpers for the platform: plain functions and dataclasses, no Django, no I/O, no clock."""
