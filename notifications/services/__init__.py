"""The outbox's writes, one module per concern: planning, optout, dispatch, privacy, callbacks."""
