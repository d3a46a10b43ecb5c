"""Projects, their branches and members."""
