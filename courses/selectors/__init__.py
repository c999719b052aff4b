"""Reads of the courses app, one module per sub-domain; `*_for_user` reads are permission-aware."""
