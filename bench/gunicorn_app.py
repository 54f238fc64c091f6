"""What the throughput run serves: wsgi.py's app, with the rate limits the environment sets.

Signpost reads its rate limits from the app's config, not from the environment, so the
benchmark's very high limits are applied here; everything else is ``wsgi:app`` itself.
"""

import os

from wsgi import app

RATE_LIMIT_SETTINGS = (
    "SIGNPOST_API_RATE_LIMIT",
    "SIGNPOST_SEARCH_RATE_LIMIT",
    "SIGNPOST_WIDGET_RATE_LIMIT",
)

app.config.update({name: os.environ[name] for name in RATE_LIMIT_SETTINGS if name in os.environ})
