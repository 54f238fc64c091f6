"""Public pages: the search page and a service's full listing."""
