"""Writing the published directory as Open Referral UK (HSDS 3.0) JSON.

The file is a JSON list of fully nested services, exactly as ``/api/v1/services/{id}``
serves each one, so ``import-oruk`` of it into an empty database rebuilds the directory.
"""

from __future__ import annotations

import json
from pathlib import Path

from tqdm import tqdm

from signpost.api.queries import all_published_services
from signpost.api.serializers import service_dict


def export_directory(path: str | Path, progress: bool = False) -> int:
    """Write every published service to ``path``; returns how many."""
    services = all_published_services()
    records = [
        service_dict(service)
        for service in tqdm(services, desc="Exporting", unit="service", disable=not progress)
    ]
    Path(path).write_text(json.dumps(records, indent=1, ensure_ascii=False), encoding="utf-8")
    return len(records)
