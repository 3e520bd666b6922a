"""Small shared helpers that belong to no domain (each module has one job)."""
