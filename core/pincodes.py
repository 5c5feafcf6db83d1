"""The pincode table the platform ships (``core/data/pincodes.csv``): where a pincode is and which city and state.

The demo pincodes and a few dozen city pincodes, approximate centroids. Two readers: an address saved with only a
pincode gets its city and state from here (seed 002's address body has neither: ``accounts.address_serializers``),
and travel time starts from a pincode's centroid (``partners.travel``, which also derives unknown ones from the
coordinates the platform knows). A pincode not in the table is ``None``; extend the file to add places.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

TABLE = Path(__file__).parent / "data" / "pincodes.csv"


@dataclass(frozen=True)
class Place:
    pincode: str
    lat: float
    lng: float
    name: str
    city: str
    state: str


@cache
def shipped() -> dict[str, Place]:
    """Pincode → its place, read once per process."""
    with TABLE.open(encoding="utf-8", newline="") as rows:
        return {
            row["pincode"]: Place(
                pincode=row["pincode"],
                lat=float(row["lat"]),
                lng=float(row["lng"]),
                name=row["place"],
                city=row["city"],
                state=row["state"],
            )
            for row in csv.DictReader(rows)
        }


def place_of(pincode: str) -> Place | None:
    return shipped().get(pincode)
