"""SMS settings, read from the environment like the rest (`config.settings` imports them)."""

from __future__ import annotations

import environ

env = environ.Env()  # config.settings has read .env into the environment already

# SMS. SMS_BACKEND: "console" (prints, keeps the outbox), "memory" (tests) or "twilio".
SMS_BACKEND = env.str("SMS_BACKEND", default="console")
# Reminders are sent only inside this local window ("08:00-21:00"); empty: any time.
SMS_QUIET_HOURS = env.str("SMS_QUIET_HOURS", default="08:00-21:00")
SMS_DISPATCH_BATCH = env.int("SMS_DISPATCH_BATCH", default=200)
# The estimated cost of a message to people: a price per segment by destination country (ISO
# code), `*` for every other one, in SMS_PRICE_CURRENCY; checked at startup.
SMS_PRICE_PER_SEGMENT = env.str("SMS_PRICE_PER_SEGMENT", default="PL=0.07,UA=0.25,*=0.30")
SMS_PRICE_CURRENCY = env.str("SMS_PRICE_CURRENCY", default="USD")
# The dispatcher's hold on the rows it claimed (renewed while its pass runs; keep it well above
# the provider's 15 s timeout): a dead dispatcher's rows go back to the queue after it.
SMS_CLAIM_LEASE_SECONDS = env.int("SMS_CLAIM_LEASE_SECONDS", default=60)
# Transient failures are retried with capped exponential backoff (with jitter) for as long as a
# message is useful: until its session starts, its offer or code ends, or, for notices without
# such an end, this many hours after it was planned.
SMS_RETRY_BACKOFF_SECONDS = env.int("SMS_RETRY_BACKOFF_SECONDS", default=30)
SMS_RETRY_BACKOFF_MAX_SECONDS = env.int("SMS_RETRY_BACKOFF_MAX_SECONDS", default=300)
SMS_RETRY_MAX_AGE_HOURS = env.int("SMS_RETRY_MAX_AGE_HOURS", default=24)
# A message the provider may have (no clear answer) is sent again only if the provider, asked
# at least this long after the attempt, certainly does not have it.
SMS_UNKNOWN_SETTLE_AFTER_SECONDS = env.int("SMS_UNKNOWN_SETTLE_AFTER_SECONDS", default=600)
TWILIO_ACCOUNT_SID = env.str("TWILIO_ACCOUNT_SID", default="")
TWILIO_AUTH_TOKEN = env.str("TWILIO_AUTH_TOKEN", default="")
TWILIO_MESSAGING_SERVICE_SID = env.str("TWILIO_MESSAGING_SERVICE_SID", default="")
TWILIO_FROM = env.str("TWILIO_FROM", default="")
TWILIO_API_BASE_URL = env.str("TWILIO_API_BASE_URL", default="")
