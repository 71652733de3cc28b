"""Outgoing webhooks: endpoints IT registers for event types, the events the audit trail
announces, signed (Standard Webhooks) and delivered at least once through the task queue.

Modules: `events` (the event types, and an event built from an audit event), `addresses`
(which endpoint addresses are allowed: no requests into the company's network), `sending`
(signing and one POST), `services`, `queries`, `rules`, `tasks`, `status` (the IT page's
line), `forms`, `views`, `urls`, `api`, `schemas`."""
