"""Growth API schemas: each part adds its own."""
