"""The outbound message outbox lives here (SMS notifications issue)."""
