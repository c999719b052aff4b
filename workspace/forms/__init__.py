"""The workspace's forms: they parse and check; the views call one service with the result."""
