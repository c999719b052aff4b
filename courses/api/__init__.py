"""The REST API of the courses app, one module per endpoint family; shared pieces in `base`."""
