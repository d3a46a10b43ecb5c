"""Authentication: users, passwords, API tokens, browser sessions and CSRF."""
