"""District outlines for maps: loading a GeoJSON boundary file, and reading an area's outlines back.

A file's features name their district by Kemendagri code (`33.16.01` or `331601`) in a property,
or by name inside one regency (geoBoundaries' `shapeName`, BIG's `WADMKC`). What cannot be placed
is reported, never guessed: a name two districts of the regency share, a code Kemendagri lacks,
a geometry that is not a polygon.
"""

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from sentra.regions.models import District, DistrictBoundary
from sentra.regions.names import region_key

# Properties tried, in order, when the file's is not named.
CODE_PROPERTIES = ("kode", "kode_kec", "kd_kec", "kdcpum", "kode_kemendagri", "code", "id_kec")
NAME_PROPERTIES = ("shapeName", "wadmkc", "kecamatan", "nama_kec", "name", "nama")
DECIMALS = 5  # about a metre: enough for a district's line, a fifth of the file
_CODE = re.compile(r"^(\d{2})\.?(\d{2})\.?(\d{2})$")


class BoundaryFileError(ValueError):
    """The file is not a GeoJSON FeatureCollection."""


@dataclass
class BoundaryLoad:
    loaded: list[str] = field(default_factory=list)  # district codes
    unplaced: list[str] = field(default_factory=list)  # each feature left out, and why


def district_code(value: object) -> str | None:
    """`33.16.01`, `331601` → `33.16.01`; None for anything else."""
    found = _CODE.match(str(value or "").strip())
    return ".".join(found.groups()) if found else None


def _property(properties: dict, wanted: str | None, candidates: tuple[str, ...]) -> object:
    lowered = {str(key).lower(): value for key, value in properties.items()}
    for name in (wanted,) if wanted else candidates:
        if name.lower() in lowered:
            return lowered[name.lower()]
    return None


def _rounded(coordinates: object) -> object:
    if isinstance(coordinates, list):
        return [_rounded(item) for item in coordinates]
    if isinstance(coordinates, int | float) and not isinstance(coordinates, bool):
        return round(float(coordinates), DECIMALS)
    raise ValueError("not a coordinate")


def _polygon(geometry: object) -> dict | None:
    """The geometry rounded, when it is a Polygon or MultiPolygon of numbers; else None."""
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        return None
    depth = 3 if geometry["type"] == "Polygon" else 4
    try:
        coordinates = _rounded(geometry.get("coordinates"))
    except ValueError:
        return None
    probe = coordinates
    for _level in range(depth - 1):
        if not isinstance(probe, list) or not probe:
            return None
        probe = probe[0]
    if not (isinstance(probe, list) and len(probe) >= 2 and all(isinstance(n, float) for n in probe)):
        return None
    return {"type": geometry["type"], "coordinates": coordinates}


def read_features(path: Path) -> list[dict]:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BoundaryFileError(f"{path.name} is not readable JSON: {error}") from None
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list) or data.get("type") != "FeatureCollection":
        raise BoundaryFileError(f"{path.name} is not a GeoJSON FeatureCollection.")
    return [feature for feature in features if isinstance(feature, dict)]


def load_boundaries(
    path: Path,
    *,
    source: str,
    code_property: str | None = None,
    name_property: str | None = None,
    regency: str | None = None,
) -> BoundaryLoad:
    """Store the outline of each district `path` names (replacing an earlier one), in one transaction.

    With `regency`, features are placed by district name inside it when they carry no code.
    """
    features = read_features(path)
    by_name: dict[str, list[str]] = {}
    if regency:
        for code, name in District.objects.filter(regency_id=regency).values_list("code", "name"):
            by_name.setdefault(region_key(name), []).append(code)
    known = set(District.objects.values_list("code", flat=True))
    result = BoundaryLoad()
    outlines: dict[str, dict] = {}
    for number, feature in enumerate(features, start=1):
        properties = feature.get("properties") if isinstance(feature.get("properties"), dict) else {}
        label = f"feature {number}"
        code = district_code(_property(properties, code_property, CODE_PROPERTIES))
        if code is None and regency:
            name = _property(properties, name_property, NAME_PROPERTIES)
            label = f"feature {number} ({name})"
            codes = by_name.get(region_key(name), [])
            if len(codes) > 1:
                result.unplaced.append(f"{label}: {len(codes)} districts of {regency} have this name")
                continue
            code = codes[0] if codes else None
        if code is None or code not in known:
            result.unplaced.append(f"{label}: no Kemendagri district code{f' {code}' if code else ''} found")
            continue
        geometry = _polygon(feature.get("geometry"))
        if geometry is None:
            result.unplaced.append(f"{label}: the geometry is not a polygon")
            continue
        outlines[code] = geometry
    with transaction.atomic():
        DistrictBoundary.objects.filter(district_id__in=outlines).delete()
        DistrictBoundary.objects.bulk_create(
            DistrictBoundary(district_id=code, geometry=geometry, source=source[:200])
            for code, geometry in outlines.items()
        )
    result.loaded = sorted(outlines)
    return result


def has_boundaries(regency: str) -> bool:
    return DistrictBoundary.objects.filter(district__regency_id=regency).exists()


def regency_outlines(regency: str) -> dict:
    """The regency's district outlines as a GeoJSON FeatureCollection (code and name in each feature)."""
    rows = DistrictBoundary.objects.filter(district__regency_id=regency).select_related("district")
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"code": row.district_id, "name": row.district.name, "source": row.source},
                "geometry": row.geometry,
            }
            for row in rows.order_by("district_id")
        ],
    }
