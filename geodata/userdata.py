"""The user's data folder: geometry imported with ``govmap import``, kept across runs in ``overrides.gpkg``.

Finding the folder imports nothing heavy (every command asks for it); reading and writing the overrides imports
geopandas.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from geodata.deployment import Deployment
from geodata.errors import GeodataError, UserDataError

if TYPE_CHECKING:
    import geopandas as gpd

#: Environment variable naming the user's data folder.
ENV_DATA_DIR = "GOVMAP_DATA_DIR"
#: File of imported geometry inside the data folder.
OVERRIDES_FILE = "overrides.gpkg"
OVERRIDES_LAYER = "overrides"
#: Columns of the overrides file besides ``geometry``; a later import of a ``place_id`` replaces the earlier one.
OVERRIDE_COLUMNS = ("place_id", "quality", "source", "imported_at")


def user_dir(explicit: Path | None = None, *, deployment: Deployment | None = None) -> Path:
    """The data folder: ``explicit``, else ``$GOVMAP_DATA_DIR``, else ``$XDG_DATA_HOME/govmap`` (~/.local/share),
    with the deployment's key (its adcode) below it, so that two deployments never share imports.

    >>> user_dir(Path("/srv/govmap"))
    PosixPath('/srv/govmap')
    """
    if explicit is not None:
        return Path(explicit).expanduser()
    if os.environ.get(ENV_DATA_DIR):
        return Path(os.environ[ENV_DATA_DIR]).expanduser()
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share").expanduser() / "govmap"
    return base / deployment.key if deployment is not None else base


def _empty() -> gpd.GeoDataFrame:
    import geopandas as gpd
    import pandas as pd

    from geodata import crs

    return gpd.GeoDataFrame({c: pd.Series(dtype="string") for c in OVERRIDE_COLUMNS},
                            geometry=gpd.GeoSeries([], crs=crs.WGS84), crs=crs.WGS84)


def read_overrides(*, user_dir: Path) -> gpd.GeoDataFrame:
    """Imported geometries (``place_id``, ``geometry``, ``quality``, ``source``, ``imported_at``), EPSG:4326."""
    import geopandas as gpd
    import pandas as pd

    from geodata import crs

    path = Path(user_dir) / OVERRIDES_FILE
    if not path.exists():
        return _empty()
    try:
        frame = gpd.read_file(path, layer=OVERRIDES_LAYER, engine="pyogrio")
    except Exception as error:  # pyogrio raises several types for a damaged SQLite file
        raise GeodataError(f"{path}: cannot read the imported geometry ({str(error).strip().splitlines()[0]}); "
                           f"move the file away and import again") from None
    frame = crs.to_wgs84(frame)
    for column in OVERRIDE_COLUMNS:
        frame[column] = frame[column].astype("string") if column in frame.columns else pd.NA
    return frame.loc[:, [*OVERRIDE_COLUMNS, "geometry"]]


def save_overrides(rows: gpd.GeoDataFrame, *, user_dir: Path) -> None:
    """Merge ``rows`` into the overrides file atomically; a row replaces an earlier one with the same place_id."""
    import geopandas as gpd
    import pandas as pd
    from pyogrio.errors import DataSourceError

    from geodata import crs

    missing = [c for c in OVERRIDE_COLUMNS if c not in rows.columns]
    if missing:
        raise GeodataError(f"overrides need the columns {', '.join(OVERRIDE_COLUMNS)}; missing {', '.join(missing)}")
    new = crs.to_wgs84(rows)
    new = gpd.GeoDataFrame(new.loc[:, list(OVERRIDE_COLUMNS)], geometry=new.geometry.to_numpy(), crs=crs.WGS84)
    new = new.drop_duplicates("place_id", keep="last")
    folder = Path(user_dir)
    old = read_overrides(user_dir=folder)
    kept = old[~old["place_id"].isin(new["place_id"])]
    merged = gpd.GeoDataFrame(pd.concat([kept, new], ignore_index=True), geometry="geometry", crs=crs.WGS84)
    for column in OVERRIDE_COLUMNS:
        merged[column] = merged[column].astype("string")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _replace_atomically(merged, folder / OVERRIDES_FILE)
    except (OSError, DataSourceError) as error:
        raise UserDataError(f"{folder}: cannot save the imported geometry ({error}); nothing was changed") from None


def _replace_atomically(frame: gpd.GeoDataFrame, path: Path) -> None:
    handle, temporary = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=path.suffix, dir=path.parent)
    os.close(handle)
    os.unlink(temporary)  # GDAL creates the GeoPackage itself
    try:
        frame.to_file(temporary, layer=OVERRIDES_LAYER, driver="GPKG", engine="pyogrio", geometry_type="Unknown")
        os.replace(temporary, path)
    finally:
        Path(temporary).unlink(missing_ok=True)
