"""Finding queries: lists with filters, details, sources and history."""
