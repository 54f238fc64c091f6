"""The served app: ``flask --app wsgi run`` or ``gunicorn wsgi:app``."""

from signpost import create_app
from signpost.startup import prepare_for_serving

app = create_app()
prepare_for_serving(app)
