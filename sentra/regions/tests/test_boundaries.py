"""District outlines: loaded from the GeoJSON files offices find (codes or names, any property), read by the map."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from sentra.regions.boundaries import district_code, load_boundaries, regency_outlines
from sentra.regions.models import DistrictBoundary

pytestmark = pytest.mark.django_db

SQUARE = [[[111.2, -7.0], [111.3, -7.0], [111.3, -6.9], [111.2, -6.9], [111.2, -7.0]]]


def feature(properties: dict, geometry: dict | None = None) -> dict:
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": geometry or {"type": "Polygon", "coordinates": SQUARE},
    }


def write(tmp_path, features: list[dict], name: str = "batas.geojson"):
    path = tmp_path / name
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    return path


def test_codes_in_either_layout_and_names_inside_the_regency_are_placed(tmp_path):
    path = write(
        tmp_path,
        [
            feature({"KODE_KEC": "33.16.01", "NAMA": "JATI"}),
            feature({"kd_kec": "331602"}),
            feature({"shapeName": "Kec. Cepu"}),  # geoBoundaries: names only
            feature(
                {"shapeName": "Kradenan"},
                {"type": "MultiPolygon", "coordinates": [[[[111.123456789, -7.1], [111.2, -7.1], [111.2, -7.2]]]]},
            ),
        ],
    )
    result = load_boundaries(path, source="Contoh, CC BY 4.0", regency="33.16")
    assert result.loaded == ["33.16.01", "33.16.02", "33.16.03", "33.16.05"] and result.unplaced == []
    kradenan = DistrictBoundary.objects.get(district_id="33.16.03").geometry
    assert kradenan["type"] == "MultiPolygon" and kradenan["coordinates"][0][0][0] == [111.12346, -7.1]
    outlines = regency_outlines("33.16")
    assert [f["properties"]["name"] for f in outlines["features"]] == ["Jati", "Randublatung", "Kradenan", "Cepu"]
    assert outlines["features"][0]["properties"]["source"] == "Contoh, CC BY 4.0"
    assert regency_outlines("18.09") == {"type": "FeatureCollection", "features": []}


def test_what_cannot_be_placed_is_reported_and_the_rest_loaded(tmp_path):
    path = write(
        tmp_path,
        [
            feature({"kode": "99.99.99"}),  # no such district
            feature({"name": "Atlantis"}),
            feature({"kode": "33.16.04"}, {"type": "Point", "coordinates": [111.2, -7.0]}),
            feature({"kode": "33.16.06"}, {"type": "Polygon", "coordinates": [[["a", "b"]]]}),
            feature({"kode": "33.16.07"}),
        ],
    )
    result = load_boundaries(path, source="uji", regency="33.16")
    assert result.loaded == ["33.16.07"]
    assert len(result.unplaced) == 4
    assert "99.99.99" in result.unplaced[0] and "Atlantis" in result.unplaced[1]
    assert "not a polygon" in result.unplaced[2] and "not a polygon" in result.unplaced[3]


def test_loading_again_replaces_an_outline(tmp_path):
    load_boundaries(write(tmp_path, [feature({"kode": "33.16.01"})]), source="lama")
    moved = [[[111.0, -7.0], [111.1, -7.0], [111.1, -6.9], [111.0, -7.0]]]
    load_boundaries(
        write(tmp_path, [feature({"kode": "33.16.01"}, {"type": "Polygon", "coordinates": moved})]), source="baru"
    )
    stored = DistrictBoundary.objects.get()
    assert stored.source == "baru" and stored.geometry["coordinates"] == moved


def test_the_command_says_what_it_did_and_refuses_what_is_not_a_boundary_file(tmp_path, capsys):
    call_command("load_boundaries", str(write(tmp_path, [feature({"kode": "33.16.01"})])), source="uji")
    assert "1 district outlines loaded" in capsys.readouterr().out
    (tmp_path / "bukan.geojson").write_text('{"type": "Feature"}')
    with pytest.raises(CommandError, match="not a GeoJSON FeatureCollection"):
        call_command("load_boundaries", str(tmp_path / "bukan.geojson"), source="uji")
    (tmp_path / "rusak.geojson").write_text("{")
    with pytest.raises(CommandError, match="not readable JSON"):
        call_command("load_boundaries", str(tmp_path / "rusak.geojson"), source="uji")
    with pytest.raises(CommandError, match="No district outline"):
        call_command("load_boundaries", str(write(tmp_path, [feature({"name": "Jati"})])), source="uji")
    with pytest.raises(CommandError, match="No regency 99.99"):
        call_command(
            "load_boundaries", str(write(tmp_path, [feature({"name": "Jati"})])), source="uji", regency="99.99"
        )


def test_district_codes():
    assert district_code("33.16.01") == district_code("331601") == district_code(" 33.16.01 ") == "33.16.01"
    assert district_code("3316010") is None and district_code(None) is None and district_code("33.16") is None


def test_the_map_draws_its_regencys_outlines_when_loaded(client, users, tmp_path):
    client.force_login(users["blora_officer"])
    page = reverse("registry:business_map")
    assert "data-boundaries-url" not in client.get(page).content.decode()
    load_boundaries(write(tmp_path, [feature({"kode": "33.16.01"})]), source="uji")
    html = client.get(page).content.decode()
    assert 'data-boundaries-url="/api/regions/boundaries?regency=33.16"' in html
    assert "data-boundaries-url" not in client.get(page, {"regency": "18.09"}).content.decode()
    outlines = client.get("/api/regions/boundaries", {"regency": "33.16"}).json()
    assert [f["properties"]["code"] for f in outlines["features"]] == ["33.16.01"]
