"""A spreadsheet of services (one row a service, saved as UTF-8 CSV) as ORUK records.

Each row becomes the same nested record an ORUK file holds, so it goes through the same
checks and import; problems are reported by spreadsheet row (the header is row 1).

Columns (only ``name`` and ``organization_name`` or ``organization_id`` are required;
lists are separated by ``;``):

=========================  ==========================================================
id                         the service's id; blank: made from organisation and name, so
                           importing the sheet again updates the same services
name                       service name
description                what the service does
status                     active (default), inactive, defunct, temporarily closed
organization_id            id of an organisation already in the directory, or blank
organization_name          the organisation running it (created if new)
organization_description   optional
url, email, phone          how to reach the service
categories                 need category codes, e.g. ``loneliness;carers``
minimum_age, maximum_age   whole numbers
eligibility_description    who it is for
fees_description           what it costs, in words
is_free                    yes or no (default yes)
application_process        how to get a place
access_route               self, professional or either (default either)
delivery_modes             in_person;online;telephone;home_visit
capacity_status            accepting, waiting_list, full or paused
days                       opening days as MO;TU;WE;TH;FR;SA;SU
opens_at, closes_at        times such as 09:30
languages                  ISO 639-1 codes, e.g. ``en;ur;bn``
location_name              the building's name
address_1, address_2, city the building's address
postcode                   the building's full postcode; blank for no building
wheelchair_accessible      yes or no
area                       where a service with no building works (default England)
assured_date               when someone last confirmed the listing, YYYY-MM-DD
=========================  ==========================================================
"""

from __future__ import annotations

import csv
import io
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import select

from signpost.api.serializers import derived_id
from signpost.directory.models import TaxonomyTerm
from signpost.extensions import db
from signpost.interop.sources import ImportRefused, max_bytes

CSV_NAMESPACE = uuid.UUID("0b5f0c3e-7d1a-4c55-8f0e-2f6f4a1d9c33")
COLUMNS = [
    "id",
    "name",
    "description",
    "status",
    "organization_id",
    "organization_name",
    "organization_description",
    "url",
    "email",
    "phone",
    "categories",
    "minimum_age",
    "maximum_age",
    "eligibility_description",
    "fees_description",
    "is_free",
    "application_process",
    "access_route",
    "delivery_modes",
    "capacity_status",
    "days",
    "opens_at",
    "closes_at",
    "languages",
    "location_name",
    "address_1",
    "address_2",
    "city",
    "postcode",
    "wheelchair_accessible",
    "area",
    "assured_date",
]
YES, NO = {"yes", "y", "true", "1"}, {"no", "n", "false", "0"}


def records_from_csv(path: str | Path) -> list[dict[str, Any]]:
    path = Path(path)
    if not path.is_file():
        raise ImportRefused(f"There is no file at {path}.")
    if path.stat().st_size > max_bytes():
        raise ImportRefused(f"{path.name} is too big to import at once; split it.")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused(f"{path.name} is not a UTF-8 CSV file; save it as CSV UTF-8.") from None
    reader = csv.DictReader(io.StringIO(text))
    header = [name.strip() for name in reader.fieldnames or []]
    unknown = [name for name in header if name not in COLUMNS]
    if "name" not in header or unknown:
        raise ImportRefused(
            f"{path.name} needs a header row with the documented columns"
            + (f"; these are not ones we know: {', '.join(unknown)}" if unknown else "")
            + ". See signpost/interop/csv_import.py for the list."
        )
    reader.fieldnames = header
    codes = dict(db.session.execute(select(TaxonomyTerm.code, TaxonomyTerm.id)).all())
    return [_record(_clean(row), codes) for row in reader]


def _clean(row: dict) -> dict[str, str]:
    return {key: (value or "").strip() for key, value in row.items() if key is not None}


def _list(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


def _number(text: str) -> int | str | None:
    if not text:
        return None
    return int(text) if text.isdigit() else text  # a wrong value is left for the checks


def _flag(text: str, default: bool) -> bool | str:
    if not text:
        return default
    lowered = text.lower()
    return True if lowered in YES else False if lowered in NO else text


def _present(**fields: Any) -> dict[str, Any]:
    return {key: value for key, value in fields.items() if value not in (None, "", [])}


def _record(row: dict[str, str], codes: dict[str, str]) -> dict[str, Any]:
    organization_name = row.get("organization_name", "")
    organization_id = row.get("organization_id") or (
        str(uuid.uuid5(CSV_NAMESPACE, f"organization/{organization_name.lower()}"))
        if organization_name
        else None
    )
    service_id = row.get("id") or str(
        uuid.uuid5(CSV_NAMESPACE, f"service/{organization_name.lower()}/{row['name'].lower()}")
    )
    record: dict[str, Any] = {
        "id": service_id,
        "name": row["name"],
        "status": row.get("status") or "active",
        **_present(
            description=row.get("description"),
            organization_id=organization_id,
            url=row.get("url"),
            email=row.get("email"),
            minimum_age=_number(row.get("minimum_age", "")),
            maximum_age=_number(row.get("maximum_age", "")),
            eligibility_description=row.get("eligibility_description"),
            fees_description=row.get("fees_description"),
            application_process=row.get("application_process"),
            assured_date=row.get("assured_date"),
        ),
        "x_signpost": _present(
            is_free=_flag(row.get("is_free", ""), True),
            access_route=row.get("access_route"),
            delivery_modes=_list(row.get("delivery_modes", "")),
            capacity_status=row.get("capacity_status"),
        ),
    }
    if organization_name:
        record["organization"] = {
            "id": organization_id,
            "name": organization_name,
            "description": row.get("organization_description", ""),
        }
    if row.get("phone"):
        record["phones"] = [{"id": derived_id(service_id, "phone"), "number": row["phone"]}]
    record["attributes"] = [
        {
            "id": derived_id(service_id, f"attribute/{code}"),
            "taxonomy_term_id": codes.get(code, code),
        }
        for code in _list(row.get("categories", ""))
    ]
    record["languages"] = [
        {"id": derived_id(service_id, f"language/{code}"), "name": code, "code": code}
        for code in _list(row.get("languages", ""))
    ]
    record["schedules"] = [
        {
            "id": derived_id(service_id, f"schedule/{day}"),
            "freq": "WEEKLY",
            "byday": day,
            **_present(opens_at=row.get("opens_at"), closes_at=row.get("closes_at")),
        }
        for day in _list(row.get("days", "").upper())
    ]
    _add_place(record, row, service_id)
    return record


def _add_place(record: dict, row: dict[str, str], service_id: str) -> None:
    if not row.get("postcode"):
        record["service_areas"] = [
            {
                "id": derived_id(service_id, "area"),
                "name": row.get("area") or "England",
                "x_signpost": {"area_kind": "local" if row.get("area") else "national"},
            }
        ]
        return
    location_id = derived_id(service_id, "location")
    record["service_at_locations"] = [
        {
            "id": derived_id(service_id, "service_at_location"),
            "location": {
                "id": location_id,
                "location_type": "physical",
                **_present(name=row.get("location_name")),
                "addresses": [
                    {
                        "id": derived_id(location_id, "address"),
                        "address_1": row.get("address_1", ""),
                        "city": row.get("city", ""),
                        "postal_code": row["postcode"],
                        "country": "GB",
                        "address_type": "physical",
                        **_present(address_2=row.get("address_2")),
                    }
                ],
                "x_signpost": {
                    "wheelchair_accessible": _flag(row.get("wheelchair_accessible", ""), False)
                },
            },
        }
    ]
