"""geodata.crs: GCJ-02 conversion against known pairs, measuring in EPSG:4547, CRS guards."""

from __future__ import annotations

import doctest
import warnings

import geopandas as gpd
import pytest
from shapely import LineString, Point, Polygon, box

from geodata import crs

# (WGS84 lon, lat) → (GCJ-02 lon, lat): the test vectors of eviltransform (MIT), Shanghai, Shenzhen, Beijing.
KNOWN_PAIRS = [
    pytest.param((121.5272106, 31.1774276), (121.531541859215, 31.17530398364597), id="shanghai"),
    pytest.param((113.912316, 22.543847), (113.9171764808363, 22.540796131694766), id="shenzhen"),
    pytest.param((116.377817, 39.911954), (116.38404722455657, 39.91334545536069), id="beijing"),
]


@pytest.mark.parametrize(("wgs", "gcj"), KNOWN_PAIRS)
def test_wgs84_to_gcj02_matches_known_pairs(wgs, gcj):
    assert crs.wgs84_to_gcj02_lonlat(*wgs) == pytest.approx(gcj, abs=1e-9)


@pytest.mark.parametrize(("wgs", "gcj"), KNOWN_PAIRS)
def test_gcj02_to_wgs84_inverts_known_pairs(wgs, gcj):
    assert crs.gcj02_to_wgs84_lonlat(*gcj) == pytest.approx(wgs, abs=1e-7)


def test_shift_at_xianning_is_what_data_sources_measured():
    lon, lat = crs.wgs84_to_gcj02_lonlat(114.32, 29.84)
    assert lon - 114.32 == pytest.approx(0.0055, abs=3e-4)
    assert lat - 29.84 == pytest.approx(-0.0027, abs=3e-4)


@pytest.mark.parametrize("lonlat", [
    pytest.param((114.32, 29.84), id="xianan"),
    pytest.param((113.88676, 29.30307), id="tongcheng"),
    pytest.param((87.6, 43.8), id="urumqi"),
    pytest.param((121.47, 31.23), id="shanghai"),
])
def test_round_trip_is_exact(lonlat):
    back = crs.gcj02_to_wgs84_lonlat(*crs.wgs84_to_gcj02_lonlat(*lonlat))
    assert back == pytest.approx(lonlat, abs=1e-6)


@pytest.mark.parametrize("lonlat", [
    pytest.param((2.35, 48.85), id="paris"),
    pytest.param((-74.0, 40.7), id="new-york"),
    pytest.param((151.2, -33.9), id="sydney"),
])
@pytest.mark.parametrize("convert", [crs.wgs84_to_gcj02_lonlat, crs.gcj02_to_wgs84_lonlat], ids=["to-gcj", "to-wgs"])
def test_outside_china_gcj_equals_wgs_without_warning(lonlat, convert):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert convert(*lonlat) == lonlat


def test_whole_geometries_convert_every_vertex_and_keep_their_shape():
    square = box(114.3, 29.8, 114.4, 29.9)
    gcj = crs.wgs84_to_gcj02(square)
    assert gcj.geom_type == "Polygon" and len(gcj.exterior.coords) == len(square.exterior.coords)
    for (x, y), (gx, gy) in zip(square.exterior.coords, gcj.exterior.coords, strict=True):
        assert (gx, gy) == pytest.approx(crs.wgs84_to_gcj02_lonlat(x, y))
    assert crs.gcj02_to_wgs84(gcj).equals_exact(square, 1e-7)


@pytest.mark.parametrize(("geom", "expected_km2"), [
    pytest.param(Polygon([(0, 0), (0, 0), (0, 0)]), 0.0, id="degenerate"),
    pytest.param(box(114.0, 29.8, 114.01, 29.81), 1.072, id="0.01-degree-cell"),
])
def test_area_km2(geom, expected_km2):
    assert crs.area_km2(geom) == pytest.approx(expected_km2, abs=1e-3)


def test_area_mu_is_1500_per_km2():
    cell = box(114.0, 29.8, 114.01, 29.81)
    assert crs.area_mu(cell) == pytest.approx(crs.area_km2(cell) * 1500)
    assert crs.MU_PER_KM2 * 666.67 == pytest.approx(1_000_000, rel=1e-5)


def test_length_km_of_a_tenth_of_a_degree_of_latitude():
    assert crs.length_km(LineString([(114.0, 29.8), (114.0, 29.9)])) == pytest.approx(11.08, abs=0.01)


def test_to_metric_uses_the_central_meridian_114():
    point = crs.to_metric(Point(114.0, 29.8))
    assert point.x == pytest.approx(500_000, abs=0.01)


def test_xianan_polygon_measures_1502_km2(counties):
    xianan = counties.set_index("id").geometry["421202"]
    assert crs.area_km2(xianan) == pytest.approx(1502, rel=0.01)


def test_require_crs_refuses_a_frame_without_crs():
    with pytest.raises(crs.MissingCRSError, match="no coordinate reference system"):
        crs.require_crs(gpd.GeoDataFrame(geometry=[Point(1, 2)]))
    assert issubclass(crs.MissingCRSError, ValueError)


@pytest.mark.parametrize("source_crs", [crs.GK_CM114, crs.CGCS2000, crs.WGS84])
def test_to_wgs84_reprojects(source_crs):
    frame = gpd.GeoDataFrame(geometry=[Point(114.3, 29.8)], crs=crs.WGS84).to_crs(source_crs)
    result = crs.to_wgs84(frame)
    assert result.crs == crs.WGS84
    assert (result.geometry[0].x, result.geometry[0].y) == pytest.approx((114.3, 29.8), abs=1e-6)


def test_docstring_examples_run():
    assert doctest.testmod(crs).failed == 0


@pytest.mark.parametrize(("lon", "epsg"), [
    pytest.param(75.0, "EPSG:4534", id="cm75"),
    pytest.param(114.0, "EPSG:4547", id="cm114"),
    pytest.param(114.3, "EPSG:4547", id="xianan"),
    pytest.param(135.0, "EPSG:4554", id="cm135"),
    pytest.param(115.4999, "EPSG:4547", id="just-west-of-edge"),
    pytest.param(115.5, "EPSG:4548", id="edge-goes-east"),
    pytest.param(73.6, "EPSG:4534", id="westmost-china"),
])
def test_gauss_kruger_zone(lon, epsg):
    assert crs.gauss_kruger_zone(lon) == epsg


def test_gauss_kruger_zone_outside_china():
    with pytest.raises(crs.OutsideZonesError):
        crs.gauss_kruger_zone(2.35)
