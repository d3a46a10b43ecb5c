"""What admins configure in the settings pages: users, teams, profiles, repositories, SLA."""
