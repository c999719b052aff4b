"""Reads for the workspace's pages, each in a constant number of queries."""
