"""The ``govmap`` command: serve the map, and read, check, import and export from the shell.

Every command prints JSON (UTF-8) on stdout where it has a result, errors on stderr, and exits non-zero on failure
without a traceback for bad input.
"""

from __future__ import annotations

import argparse
import datetime
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from gazetteer.errors import GazetteerError
from gazetteer.model import Kind
from geodata.errors import GeodataError

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2
#: The time zone of a reporting window's closing day (the deployments are in China).
CHINA = datetime.timezone(datetime.timedelta(hours=8), "CST")
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
    args.stores = []
    try:
        return args.handler(args) or EXIT_OK
    except (CommandError, GazetteerError, GeodataError, _layer_error()) as exc:
        print(f"govmap {args.command}: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader went away (govmap places | head): nothing left to say to it
        sys.stderr.close()
        return EXIT_ERROR
    finally:
        for store in args.stores:
            store.dispose()


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

    config = {"GOVMAP_DATA_DIR": args.data_dir, "GOVMAP_TEXTS": [str(p) for p in args.texts] or None,
              "GOVMAP_DEPLOYMENT": str(_deployment(args).folder), "GOVMAP_DATABASE_URL": args.database}
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
    print(f"{payload['document']}  ({payload['kind']}, {payload['format']} {payload['encoding']}".rstrip()
          + f", {payload['characters']} characters)")
    for key in ("tasks", "mentions", "unresolved", "indicators"):
        for item in payload.get(key, []):
            label = item.get("text") or item.get("metric")
            where = item.get("name") or item.get("value_text") or ""
            print(f"  {key[:-1]}\t{item.get('number', item.get('start', ''))}\t{label[:40]}\t{where}")


def _check_data(args: argparse.Namespace) -> int:
    from gazetteer.places.checks import check
    from gazetteer.places.load import load_gazetteer

    gazetteer = load_gazetteer(_deployment(args), curated=args.curated, user_dir=_user_dir(args), strict=False)
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
    from layers.filters import Filters, filter_notes
    from webmap.state import build_state

    state = build_state(data_dir=args.data_dir, deployment=_deployment(args), store=_store(args))
    filters = Filters.from_args({k: v for k, v in vars(args).items()
                                 if k in Filters.__dataclass_fields__ and v is not None})
    frame = state.catalogue.frame(args.layer, filters)
    fmt = args.format or format_for(args.output)
    export(frame, args.output, fmt=fmt, layer=args.layer, title=state.catalogue.spec(args.layer).title,
           notes=filter_notes(filters))
    print(f"govmap export: wrote {len(frame)} features of {args.layer} to {args.output} ({fmt})", file=sys.stderr)
    return EXIT_OK


def _db_upgrade(args: argparse.Namespace) -> int:
    from layers.storage.database import Store, default_url

    store = Store(default_url(args.database, data_dir=_user_dir(args)))
    args.stores.append(store)
    if store.path is not None:
        store.path.parent.mkdir(parents=True, exist_ok=True)
    applied = store.upgrade()
    _emit({"database": store.url.render_as_string(hide_password=True), "applied": applied,
           "revision": store.revision()})
    return EXIT_OK


def _ingest(args: argparse.Namespace) -> int:
    from layers.storage.ingest import ingest, read_files

    if args.title is not None and len(args.files) != 1:
        raise CommandError("--title names one document: give one FILE with it")
    incoming = read_files(args.files, year=args.year, title=args.title)  # every file read before any is stored
    store = _store(args)
    summaries = ingest(store, incoming, deployment=_deployment(args), gazetteer=_gazetteer(args))
    if store.backend == "postgresql" and any(s["status"] != "unchanged" for s in summaries):
        from layers.storage.views import publish
        from webmap.state import build_state

        publish(store, _deployment(args), build_state(data_dir=args.data_dir, deployment=_deployment(args),
                                                      store=store).catalogue)
    _emit(summaries)
    return EXIT_OK


def _backup(args: argparse.Namespace) -> int:
    from layers.storage.backup import backup

    store = _store(args)
    _emit({"database": store.url.render_as_string(hide_password=True), "file": str(backup(store, args.file))})
    return EXIT_OK


def _restore(args: argparse.Namespace) -> int:
    from layers.storage.backup import restore

    store = _store(args)
    restore(store, args.file)
    _emit({"database": store.url.render_as_string(hide_password=True), "file": str(args.file)})
    return EXIT_OK


def _evaluate(args: argparse.Namespace) -> int:
    from gazetteer.evaluation.evaluate import evaluate_all

    if args.plans is not None:
        return _evaluate_plans(args)
    if args.gold is not None and not args.gold.is_dir():
        raise CommandError(f"{args.gold}: no such folder of gold annotations")
    texts = None
    if args.texts is not None:
        if not args.texts.is_dir():
            raise CommandError(f"{args.texts}: no such folder of texts")
        from geodata.deployment import text_files

        texts = text_files(args.texts)
        if not texts:
            raise CommandError(f"{args.texts}: no texts there")
    report = evaluate_all(gold_dir=args.gold, texts=texts, deployment=_deployment(args))
    if not _SCORES & report.keys():
        raise CommandError(f"{report['gold_dir']}: no gold annotations there (mentions.jsonl, tasks_<document>.json, "
                           f"indicators.jsonl)")
    _emit(report)
    return EXIT_OK


def _evaluate_plans(args: argparse.Namespace) -> int:
    from gazetteer.evaluation.plans import evaluate_plans

    if not (args.plans / "gold.jsonl").is_file():
        raise CommandError(f"{args.plans}: no gold.jsonl there")
    for option, folder in (("--deployments", args.deployments), ("--external", args.external)):
        if folder is not None and not folder.is_dir():
            raise CommandError(f"{option} {folder}: no such folder")
    _emit(evaluate_plans(args.plans, deployments=args.deployments, external=args.external, split=args.split))
    return EXIT_OK


def _init(args: argparse.Namespace) -> int:
    from geodata.initialise import format_report, make_deployment

    report = make_deployment(args.dir, args.county, force=args.force)
    print(format_report(report), file=sys.stderr)
    _emit({"folder": str(report.folder), "adcode": report.adcode, "name": report.name, "level": report.level,
           "crs": report.crs, "bbox": list(report.bbox), "township_units": report.township_units,
           "with_seat": report.with_seat, "fallback_only": report.fallback_only, "files": list(report.files)})
    return EXIT_OK


def _users(args: argparse.Namespace) -> int:
    from layers.storage import accounts

    store = _store(args)
    if args.users_command == "add":
        units = _units(args, args.unit) if args.unit else []
        _emit(accounts.add_user(store, args.name, role=args.role, password=_read_password(), units=units))
    elif args.users_command == "token":
        print(accounts.new_token(store, args.name))
    elif args.users_command == "delete":
        accounts.delete_user(store, args.name)
        _emit({"deleted": args.name})
    else:
        _emit(accounts.list_users(store))
    return EXIT_OK


def _read_password() -> str:
    """The new password from standard input (never an argument, which other users of the machine could see): typed
    twice at a terminal, else the first line of a pipe."""
    import getpass

    if sys.stdin.isatty():
        password = getpass.getpass("新密码：")
        if getpass.getpass("再输一遍：") != password:
            raise CommandError("两次输入的密码不一致")
        return password
    return sys.stdin.readline().rstrip("\r\n")


def _units(args: argparse.Namespace, written: Sequence[str]) -> list[str]:
    """The keys of the units given, each one the stored plans name."""
    supervision = _supervision(args)
    key, known = supervision.unit_key(), set(supervision.units())
    keys = [key(name) for name in written]
    unknown = [name for name, k in zip(written, keys, strict=True) if k not in known]
    if unknown:
        raise CommandError(f"没有这个单位：{'、'.join(unknown)}（已入库的方案中没有这样的单位；请先导入方案，"
                           f"单位按方案的写法填写，如 区水利局、向阳湖镇）")
    return keys


def _windows(args: argparse.Namespace) -> int:
    from gazetteer.supervision.access import Account, Role
    from layers.storage import supervision
    from layers.storage.accounts import CLI

    service = _supervision(args)
    if args.windows_command == "list":
        _emit(supervision.windows(service, year=args.year))
        return EXIT_OK
    operator = Account(CLI, Role.ADMIN)
    if args.windows_command == "open":
        closes = None
        if args.closes is not None:
            closes = datetime.datetime.combine(args.closes, datetime.time(23, 59, 59), tzinfo=CHINA)
        _emit(supervision.open_window(service, operator, year=args.year, quarter=args.quarter, closes=closes))
    else:
        _emit(supervision.close_window(service, operator, year=args.year, quarter=args.quarter))
    return EXIT_OK


def _deadlines(args: argparse.Namespace) -> int:
    from gazetteer.supervision.access import Account, Role
    from layers.storage import supervision
    from layers.storage.accounts import CLI

    service = _supervision(args)
    if args.deadlines_command == "list":
        _emit(supervision.deadlines(service, year=args.year))
        return EXIT_OK
    deadline = args.date if args.deadlines_command == "set" else None
    _emit(supervision.set_deadline(service, Account(CLI, Role.ADMIN), year=args.year, task=args.task,
                                   deadline=deadline))
    return EXIT_OK


# -- helpers ----------------------------------------------------------------------------------------------------
def _deployment(args: argparse.Namespace) -> Any:
    """The deployment of ``--deployment DIR``, else ``$GOVMAP_DEPLOYMENT``, else the bundled 咸安 one."""
    from geodata import deployment

    return deployment.load(args.deployment)


def _user_dir(args: argparse.Namespace) -> Path:
    from geodata.userdata import user_dir

    return user_dir(args.data_dir, deployment=_deployment(args))


def _store(args: argparse.Namespace) -> Any:
    """The database of ``--database URL``, else ``$GOVMAP_DATABASE_URL``, else the data folder's SQLite file."""
    from webmap.state import open_store

    store = open_store(args.database, data_dir=args.data_dir, deployment=_deployment(args))
    args.stores.append(store)  # closed when the command ends
    return store


def _supervision(args: argparse.Namespace) -> Any:
    from layers.storage.supervision import Supervision

    return Supervision.of(_store(args), _deployment(args), data_dir=_user_dir(args))


def _quarter(text: str) -> int:
    if text not in ("1", "2", "3", "4"):
        raise argparse.ArgumentTypeError(f"“{text}”不是季度（1 到 4）")
    return int(text)


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是日期（应写作 2025-06-30）") from None


def _year(text: str) -> int:
    if not (text.isdigit() and 1949 <= int(text) <= 2200):
        raise argparse.ArgumentTypeError(f"“{text}”不是年份（应写作 2025）")
    return int(text)


def _gazetteer(args: argparse.Namespace) -> Any:
    from gazetteer.places.load import load_gazetteer

    return load_gazetteer(_deployment(args), user_dir=_user_dir(args))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="govmap", description="Put a county government's plans on a map.")
    parser.add_argument("--deployment", type=Path, default=None, metavar="DIR",
                        help="the deployment to work on, a folder made by govmap init "
                             "(default: $GOVMAP_DEPLOYMENT, else the bundled 咸安区)")
    parser.add_argument("--data-dir", type=Path, default=None,
                        help="folder of imported geometry (default: $GOVMAP_DATA_DIR or "
                             "~/.local/share/govmap/<adcode>)")
    parser.add_argument("--database", default=None, metavar="URL",
                        help="database URL: sqlite:///FILE or postgresql+psycopg://USER@HOST/DB (default: "
                             "$GOVMAP_DATABASE_URL, else govmap.sqlite in the data folder)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    serve = sub.add_parser("serve", help="serve the web map on the deployment's texts")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=5000)
    serve.add_argument("--threads", type=int, default=8)
    serve.add_argument("texts", nargs="*", type=Path, help="text files to serve instead of the deployment's")
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
        command.add_argument("file", help="a text (UTF-8 or GBK), .docx, .pdf, .xlsx or .html file; - reads standard input")
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

    exp = sub.add_parser("export", help="write a layer to GeoJSON, GeoPackage, CSV or Excel (.xlsx)")
    exp.add_argument("layer", help="layer id: admin, townships, seats, water, roads, sites, places, tasks (one row "
                                   "per task), task_places (one row per task–place link), indicators")
    exp.add_argument("-o", "--output", required=True, type=Path, help="output file")
    exp.add_argument("--format", choices=("geojson", "gpkg", "csv", "xlsx"), default=None,
                     help="default: from the file's extension")
    for field in ("township", "section", "leader", "lead_unit", "unit", "kind", "keyword", "bbox", "year"):
        exp.add_argument(f"--{field.replace('_', '-')}", dest=field, default=None, help=f"filter by {field}")
    exp.set_defaults(handler=_export)

    init = sub.add_parser("init", help="make a deployment folder for a county or city from the national sources")
    init.add_argument("dir", type=Path, help="the folder to make (must be empty or absent unless --force)")
    init.add_argument("--county", required=True,
                      help="name (通城县, 通城), path (湖北省咸宁市通城县) or adcode (421222) of a county-level unit or a city")
    init.add_argument("--force", action="store_true", help="replace DIR if it exists and is not empty")
    init.set_defaults(handler=_init)

    db = sub.add_parser("db", help="manage the database")
    db_sub = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    db_sub.add_parser("upgrade", help="create the tables or apply new migrations").set_defaults(handler=_db_upgrade)

    ing = sub.add_parser("ingest", help="read documents into the database (the same content again changes nothing)")
    ing.add_argument("files", nargs="+", metavar="FILE", help="text, .docx, .pdf, .xlsx or .html files")
    ing.add_argument("--year", type=_year, default=None, help="the plan's year (default: from its title)")
    ing.add_argument("--title", default=None,
                     help="the document's title and the name its new versions share (default: the file name)")
    ing.set_defaults(handler=_ingest)

    for name, handler, text in (("backup", _backup, "copy the whole database to FILE"),
                                ("restore", _restore, "replace the whole database with a backup FILE")):
        command = sub.add_parser(name, help=text)
        command.add_argument("file", type=Path, metavar="FILE")
        command.set_defaults(handler=handler)

    users = sub.add_parser("users", help="accounts of supervision: add, token, list, delete")
    users_sub = users.add_subparsers(dest="users_command", metavar="ACTION", required=True)
    add = users_sub.add_parser("add", help="add a user; the password is read from standard input")
    add.add_argument("name", metavar="NAME")
    add.add_argument("--role", required=True, choices=("admin", "reviewer", "reporter"))
    add.add_argument("--unit", action="append", default=[], metavar="UNIT",
                     help="a unit a reporter reports for, as the plan writes it (repeat for several)")
    token = users_sub.add_parser("token", help="print a new API token of NAME (shown once; only its hash is kept)")
    token.add_argument("name", metavar="NAME")
    delete = users_sub.add_parser("delete", help="delete a user with their tokens (their reports stay)")
    delete.add_argument("name", metavar="NAME")
    users_sub.add_parser("list", help="list the users, their roles and units")
    users.set_defaults(handler=_users)

    windows = sub.add_parser("windows", help="reporting windows of supervision: open, close, list")
    windows_sub = windows.add_subparsers(dest="windows_command", metavar="ACTION", required=True)
    for action, text in (("open", "open the reporting of a quarter now"),
                         ("close", "close the reporting of a quarter now (later reports are late)")):
        command = windows_sub.add_parser(action, help=text)
        command.add_argument("year", type=_year, metavar="YEAR")
        command.add_argument("quarter", type=_quarter, metavar="QUARTER")
        if action == "open":
            command.add_argument("--closes", type=_date, default=None, metavar="YYYY-MM-DD",
                                 help="the last day of reporting (China time); default: open until closed")
    listing = windows_sub.add_parser("list", help="list the reporting windows")
    listing.add_argument("--year", type=_year, default=None)
    windows.set_defaults(handler=_windows)

    deadlines = sub.add_parser("deadlines", help="deadlines of tasks set over the plan's: set, clear, list")
    deadlines_sub = deadlines.add_subparsers(dest="deadlines_command", metavar="ACTION", required=True)
    for action, text in (("set", "set the deadline of TASK in YEAR's plan (its lights use it from then on)"),
                         ("clear", "drop the deadline set for TASK: the plan's own counts again")):
        command = deadlines_sub.add_parser(action, help=text)
        command.add_argument("task", metavar="TASK",
                             help="the task as the plan numbers it (12, 第12项, 目标1) or its key")
        if action == "set":
            command.add_argument("date", metavar="YYYY-MM-DD", help="the new deadline")
        command.add_argument("--year", type=_year, required=True, help="the year of the plan")
    listing = deadlines_sub.add_parser("list", help="the tasks of YEAR's plan with the plan's and the set deadlines")
    listing.add_argument("--year", type=_year, required=True, help="the year of the plan")
    deadlines.set_defaults(handler=_deadlines)

    evaluate = sub.add_parser("evaluate", help="score reading and geocoding against the gold annotations")
    evaluate.add_argument("--gold", type=Path, default=None,
                          help="folder of gold files (default: the deployment's gold/)")
    evaluate.add_argument("--texts", type=Path, default=None,
                          help="folder of the texts the gold annotates, any format govmap reads (default: the deployment's texts)")
    evaluate.add_argument("--plans", type=Path, default=None, metavar="DIR",
                          help="score instead the plans of DIR (texts and gold.jsonl, one deployment each)")
    evaluate.add_argument("--deployments", type=Path, default=None, metavar="DIR",
                          help="with --plans: folder of the deployments the gold names (made by govmap init)")
    evaluate.add_argument("--external", type=Path, default=None, metavar="DIR",
                          help="with --plans: folder of the texts kept outside the repository (news, 解读)")
    evaluate.add_argument("--split", choices=("dev", "test"), default=None,
                          help="with --plans: score one half only")
    evaluate.set_defaults(handler=_evaluate)
    return parser


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
