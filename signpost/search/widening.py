"""Ways to widen a search that found nothing: drop one filter, or look further away."""

from __future__ import annotations

from dataclasses import replace

from signpost.search.contract import SearchRequest

WIDER_RADIUS = {1: 3, 3: 5, 5: 10, 10: 25, 25: 50}
FILTER_LABELS = {
    "categories": ("categories", ()),
    "free_only": ("free services only", False),
    "delivery_mode": ("how it is delivered", None),
    "day": ("the day it is open", None),
    "age": ("the patient's age", None),
    "language": ("the language", None),
    "wheelchair": ("wheelchair access", False),
    "self_referral": ("self-referral", False),
}


def widen_options(request: SearchRequest) -> list[dict]:
    """Each option: a label and the request to run instead (page reset to 1)."""
    options = []
    for field, (label, cleared) in FILTER_LABELS.items():
        if getattr(request, field) != cleared:
            options.append(
                {
                    "label": f"Remove {label}",
                    "request": replace(request, page=1, **{field: cleared}),
                }
            )
    if request.radius_miles is not None:
        wider = WIDER_RADIUS.get(int(request.radius_miles))
        label = f"Search within {wider} miles" if wider else "Search any distance"
        options.append({"label": label, "request": replace(request, page=1, radius_miles=wider)})
    if request.text:
        options.append(
            {"label": "Show all services nearby", "request": replace(request, text="", page=1)}
        )
    return options
