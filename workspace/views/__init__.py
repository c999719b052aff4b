"""The workspace's pages, one module per page family."""
