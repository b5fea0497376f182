"""The ``govmap`` command: serve the map, and read, check, import and export from the shell.

Every command prints JSON (UTF-8) on stdout where it has a result, errors on stderr, and exits non-zero on failure
without a traceback for bad input.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from gazetteer.errors import GazetteerError
from gazetteer.model import Kind
from geodata.errors import GeodataError

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2
#: The parts of ``govmap evaluate``'s report that are scores (besides the folder it read).
_SCORES = frozenset({"places", "tasks", "indicators"})


class CommandError(Exception):
    """A command failed in a way the user can fix; the message is printed, no traceback."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return args.handler(args) or EXIT_OK
    except (CommandError, GazetteerError, GeodataError, _layer_error()) as exc:
        print(f"govmap {args.command}: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130


def _layer_error() -> type[Exception]:
    from layers.errors import LayerError

    return LayerError


def _emit(payload: Any) -> None:
    from gazetteer.serialize import to_json  # json.dumps(ensure_ascii=False, indent=2, default=str), faster

    sys.stdout.write(to_json(payload))
    sys.stdout.write("\n")


# -- commands ---------------------------------------------------------------------------------------------------
def _serve(args: argparse.Namespace) -> int:
    from webmap import create_app

    config = {"GOVMAP_DATA_DIR": args.data_dir, "GOVMAP_TEXTS": [str(p) for p in args.texts] or None}
    app = create_app(config)
    url = f"http://{args.host}:{args.port}/"
    print(f"govmap: serving the map of {len(app.extensions['govmap'].get().corpus.tasks)} tasks at {url}",
          flush=True)
    from waitress import serve

    serve(app, host=args.host, port=args.port, threads=args.threads, ident="govmap")
    return EXIT_OK


def _places(args: argparse.Namespace) -> int:
    from gazetteer.places.placelist import place_records

    gazetteer = _gazetteer(args)
    records = place_records(gazetteer, kind=args.kind, mentioned_only=False)
    if args.json:
        _emit(records)
    else:
        for r in records:
            print(f"{r['id']}\t{r['name']}\t{r['kind']}\t{r['quality']}{_measure(r)}")
    return EXIT_OK


def _measure(record: dict) -> str:
    """The measured size of a place for the plain listing: area in km² and 亩, or length in km.

    >>> _measure({"area_km2": 1500.541, "area_mu": 2250811}), _measure({"length_km": 21.467}), _measure({})
    ('  1500.54 km² / 2250811 亩', '  21.47 km', '')
    """
    if record.get("area_km2") is not None:
        return f"  {record['area_km2']:.2f} km² / {record['area_mu']:.0f} 亩"
    if record.get("length_km") is not None:
        return f"  {record['length_km']:.2f} km"
    return ""


def _document_command(record: str) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        from gazetteer import serialize
        from gazetteer.corpus import analyse, analyse_places
        from gazetteer.reading.documents import read_document

        document = read_document(args.file)
        gazetteer = _gazetteer(args)
        read = analyse_places if record == "geocode_record" else analyse  # geocode prints places only
        payload = getattr(serialize, record)(read(document, gazetteer), gazetteer)
        if args.json:
            _emit(payload)
        else:
            _summarise(payload)
        return EXIT_OK

    return run


def _summarise(payload: dict) -> None:
    """A short human-readable listing for the document commands without --json."""
    print(f"{payload['document']}  ({payload['kind']}, {payload['encoding']}, {payload['characters']} characters)")
    for key in ("tasks", "mentions", "unresolved", "indicators"):
        for item in payload.get(key, []):
            label = item.get("text") or item.get("metric")
            where = item.get("name") or item.get("value_text") or ""
            print(f"  {key[:-1]}\t{item.get('number', item.get('start', ''))}\t{label[:40]}\t{where}")


def _check_data(args: argparse.Namespace) -> int:
    from gazetteer.places.checks import check
    from gazetteer.places.load import load_gazetteer

    gazetteer = load_gazetteer(curated=args.curated, user_dir=_user_dir(args), strict=False)
    problems = check(gazetteer)
    errors = [p for p in problems if p.level == "error"]
    _emit({"places": len(gazetteer), "errors": len(errors),
           "problems": [{"level": p.level, "code": p.code, "message": p.message} for p in problems]})
    if errors:
        print(f"govmap check-data: {len(errors)} error(s); first: {errors[0].message}", file=sys.stderr)
        return EXIT_ERROR
    return EXIT_OK


def _import(args: argparse.Namespace) -> int:
    from gazetteer.places.upgrade import import_geometry

    summary = import_geometry(args.file, gazetteer=_gazetteer(args), kind=args.kind, name_field=args.name_field,
                              layer=args.layer, quality=args.quality, user_dir=_user_dir(args))
    _emit(summary)
    return EXIT_OK


def _export(args: argparse.Namespace) -> int:
    from layers.export import export, format_for
    from layers.filters import Filters
    from webmap.state import build_state

    state = build_state(data_dir=args.data_dir)
    filters = Filters.from_args({k: v for k, v in vars(args).items()
                                 if k in Filters.__dataclass_fields__ and v is not None})
    frame = state.catalogue.frame(args.layer, filters)
    fmt = args.format or format_for(args.output)
    export(frame, args.output, fmt=fmt, layer=args.layer)
    print(f"govmap export: wrote {len(frame)} features of {args.layer} to {args.output} ({fmt})", file=sys.stderr)
    return EXIT_OK


def _evaluate(args: argparse.Namespace) -> int:
    from gazetteer.evaluation.evaluate import evaluate_all

    if args.gold is not None and not args.gold.is_dir():
        raise CommandError(f"{args.gold}: no such folder of gold annotations")
    texts = None
    if args.texts is not None:
        if not args.texts.is_dir():
            raise CommandError(f"{args.texts}: no such folder of texts")
        texts = sorted(args.texts.glob("*.txt"))
        if not texts:
            raise CommandError(f"{args.texts}: no .txt files there")
    report = evaluate_all(gold_dir=args.gold, texts=texts)
    if not _SCORES & report.keys():
        raise CommandError(f"{report['gold_dir']}: no gold annotations there (mentions.jsonl, tasks_004.json, "
                           f"indicators.jsonl)")
    _emit(report)
    return EXIT_OK


# -- helpers ----------------------------------------------------------------------------------------------------
def _user_dir(args: argparse.Namespace) -> Path:
    from geodata.userdata import user_dir

    return user_dir(args.data_dir)


def _gazetteer(args: argparse.Namespace) -> Any:
    from gazetteer.places.load import load_gazetteer

    return load_gazetteer(user_dir=_user_dir(args))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="govmap", description="Put a county government's plans on a map.")
    parser.add_argument("--data-dir", type=Path, default=None,
                        help="folder of imported geometry (default: $GOVMAP_DATA_DIR or ~/.local/share/govmap)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    serve = sub.add_parser("serve", help="serve the web map on the bundled 咸安 texts")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=5000)
    serve.add_argument("--threads", type=int, default=8)
    serve.add_argument("texts", nargs="*", type=Path, help="text files to serve instead of the bundled ones")
    serve.set_defaults(handler=_serve)

    places = sub.add_parser("places", help="list the gazetteer's places")
    places.add_argument("--kind", choices=[k.value for k in Kind], metavar="KIND",
                        help=f"only places of this kind: {', '.join(k.value for k in Kind)}")
    places.add_argument("--json", action="store_true", help="print JSON")
    places.set_defaults(handler=_places)

    for name, record, text in (("geocode", "geocode_record", "place mentions of a text, resolved"),
                               ("tasks", "tasks_record", "tasks and responsibilities of a text"),
                               ("indicators", "indicators_record", "numeric indicators of a text")):
        command = sub.add_parser(name, help=text)
        command.add_argument("file", help="a text file, UTF-8 or GBK; - reads standard input")
        command.add_argument("--json", action="store_true", help="print JSON")
        command.set_defaults(handler=_document_command(record))

    check = sub.add_parser("check-data", help="validate the gazetteer; exits non-zero on any error")
    check.add_argument("--curated", type=Path, default=None, help="check this curated file instead")
    check.set_defaults(handler=_check_data)

    imp = sub.add_parser("import", help="replace gazetteer geometry with features from an authoritative file")
    imp.add_argument("file", type=Path, help="Shapefile, GeoJSON, GeoPackage (any CRS) or OSM .osm/.pbf")
    imp.add_argument("--kind", required=True, help="kind of the features (town, township, subdistrict, river…)")
    imp.add_argument("--name-field", default=None, help="attribute holding the feature's name")
    imp.add_argument("--layer", default=None, help="layer of a multi-layer file")
    imp.add_argument("--quality", choices=("surveyed", "open-data"), default=None,
                     help="quality to record (default: surveyed for files, open-data for OSM)")
    imp.set_defaults(handler=_import)

    exp = sub.add_parser("export", help="write a layer to GeoJSON, GeoPackage or CSV")
    exp.add_argument("layer", help="layer id: admin, townships, seats, water, roads, sites, places, tasks, indicators")
    exp.add_argument("-o", "--output", required=True, type=Path, help="output file")
    exp.add_argument("--format", choices=("geojson", "gpkg", "csv"), default=None,
                     help="default: from the file's extension")
    for field in ("township", "section", "leader", "lead_unit", "kind", "keyword", "bbox"):
        exp.add_argument(f"--{field.replace('_', '-')}", dest=field, default=None, help=f"filter by {field}")
    exp.set_defaults(handler=_export)

    evaluate = sub.add_parser("evaluate", help="score reading and geocoding against the gold annotations")
    evaluate.add_argument("--gold", type=Path, default=None, help="folder of gold files (default: tests/gold)")
    evaluate.add_argument("--texts", type=Path, default=None,
                          help="folder of the .txt files the gold annotates (default: the bundled sample texts)")
    evaluate.set_defaults(handler=_evaluate)
    return parser


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
