"""Forms that parse what people type into pages and query strings."""
