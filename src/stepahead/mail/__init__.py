"""The outbox: every email the platform sends is stored, then delivered by a task with retries.

See MAIL-CONTRACT (docs/platform.md, "Mail"): `services.queue_email` in the caller's transaction,
`tasks.deliver_email` after commit, `deliver_mail` command for due messages, `resend_email`.
"""
