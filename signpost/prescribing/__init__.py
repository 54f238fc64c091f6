"""The link worker's workspace: patients, what was prescribed, follow-ups and outcomes.

Health data lives only here and in ``signpost.supervision``; it never appears in URLs
(records are addressed by opaque UUIDs), page titles, log lines or audit details.
"""
