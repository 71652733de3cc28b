"""Growth forms: each part adds its own."""
