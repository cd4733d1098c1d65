"""Loading a registry file: :func:`load_registry` reads, detects the layout and validates."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path

from planner.core.errors import InputError, ProblemCollector
from planner.io.registry.cells import (
    Cell,
    _cell,
    _cell_text,
    _is_column_numbering,
    _is_total_row,
    _Memo,
    _norm,
    _parse_code,
    _parse_count,
    _parse_flag,
    _shown,
)
from planner.io.registry.columns import (
    _COUNT_MAP,
    _PERSON_MAP,
    COUNT_COLUMNS,
    ESTIMATE_STATUS,
    OPTIONAL_COLUMNS,
)
from planner.io.registry.counts import Registry
from planner.io.registry.header import _find_header, _Header, _map_columns, _no_header_message
from planner.io.registry.persons import _load_persons
from planner.io.registry.sheets import _fill_merged_header, _Merges, _read_sheet
from planner.io.registry.validation import (
    _CodeCheck,
    _CountRow,
    _Notes,
    _raise,
    _rows_text,
    _validate_counts,
)


def load_registry(
    path: Path,
    *,
    known_codes: Mapping[str, str] | Collection[str],
    region_name: str = "",
    reference_date: dt.date | None = None,
) -> Registry:
    """Load a registry file (counts per village, or one row per person) and validate it.

    Parameters
    ----------
    path
        CSV/TSV/TXT (comma, semicolon, tab; UTF-8, UTF-8 with BOM, UTF-16, Windows-1252) or
        ``.xlsx`` (the sheet named like ``registry``/``data``, else the first sheet). Title
        rows above the header are skipped; a two-row header is merged.
    known_codes
        Village codes of the region (a mapping code → name gives names in messages). Codes
        outside it are errors; an empty collection disables the check.
    region_name
        Region name for messages.
    reference_date
        Person-level files only: date at which ages are taken (default: today). A person
        aged :data:`LANSIA_AGE` (60) or more counts as ``lansia``; younger than
        :data:`PEMULA_BELOW_AGE` (18) as ``pemula`` (a first-time KTP holder or voter).

    Returns
    -------
    Registry
        Counts per village; ``notes`` says what was interpreted (separators, encoding,
        aggregation of person rows, ...).

    Raises
    ------
    InputError
        Listing every problem with file row and column: unreadable or empty file, missing
        columns, bad or unknown codes, codes of another province, duplicate villages,
        negative, non-numeric, fractional or huge counts, inconsistent counts.

    Examples
    --------
    >>> reg = load_registry(Path("rekap.csv"), known_codes={"36.01.01.2001"})  # doctest: +SKIP
    >>> reg.counts.loc["36.01.01.2001", "belum_rekam"]  # doctest: +SKIP

    Notes
    -----
    A file is person-level when it has a NIK column, or a name column (``nama``,
    ``nama_lengkap``) and no ``wajib_ktp``/``belum_rekam`` column. Each row is one wajib-KTP
    person of village ``kode_desa``; the status column (``status_rekam``, ``sudah_rekam``,
    ...) reads 1/0, ya/tidak, sudah/belum, Y/N, true/false (empty or anything else is an
    error). ``lansia``/``pemula`` come from ``tanggal_lahir`` (ISO or day-first dates) unless
    a yes/no column of that name is given; ``disabilitas`` is a yes/no column (empty = no).
    A repeated NIK is an error (a person counted twice).

    The raised error's traceback holds no frame of the parsing code, so not even a
    traceback printed with local variables can show a cell of the file.
    """
    problems: list[str] | None = None
    try:
        return _load_registry_file(
            Path(path),
            known_codes=known_codes,
            region_name=region_name,
            reference_date=reference_date or dt.date.today(),
        )
    except InputError as error:
        problems = error.problems
    # Raised outside the ``except`` block: no chained context, and the frames that held the
    # file's cells are released.
    raise InputError(problems)


def _load_registry_file(
    path: Path,
    *,
    known_codes: Mapping[str, str] | Collection[str],
    region_name: str,
    reference_date: dt.date,
) -> Registry:
    name = path.name
    notes: list[str] = []
    if path.is_dir():
        raise InputError(f"{name}: is a folder, not a registry file")
    sheet = _read_sheet(path, notes)
    if not any(_cell_text(c) for r in sheet.rows for c in r):
        raise InputError(f"{name}: the file is empty")
    header = _find_header(sheet.rows)
    if header is None:
        raise InputError(_no_header_message(name, sheet.rows))
    if sheet.merged:
        _fill_merged_header(sheet, range(header.row - 2, header.row))
        header = _find_header(sheet.rows) or header
    data_rows = [
        (number, cells)
        for number, cells in enumerate(sheet.rows[header.row :], start=header.row + 1)
        if not all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)
    ]
    if data_rows and _is_column_numbering(data_rows[0][1]):
        notes.append(f"row {data_rows[0][0]} holds column numbers (1, 2, 3, ...): skipped")
        data_rows = data_rows[1:]
    if header.first > 1:
        notes.append(f"header found in row {header.first}; rows above it skipped")
    if header.row > header.first:
        notes.append(f"two-row header: rows {header.first} and {header.row} read as one")
    keys = set(header.keys)
    has_nik = any(_PERSON_MAP.get(k) == "nik" for k in keys)
    has_nama = any(_PERSON_MAP.get(k) == "nama" for k in keys)
    has_wajib = any(_COUNT_MAP.get(k) == "wajib_ktp" for k in keys)
    has_belum = any(_COUNT_MAP.get(k) == "belum_rekam" for k in keys)
    person = has_nik or (has_nama and not has_wajib and not has_belum)
    if has_nik and has_wajib:
        raise InputError(
            f"{name}, row {header.row}: the file has both a NIK column and a wajib_ktp column; "
            "give either one row per person or counts per village"
        )
    alias_map = _PERSON_MAP if person else _COUNT_MAP
    columns, problems = _map_columns(name, header, alias_map, person, notes)
    if not data_rows:
        problems.add("header row found but no data rows below it", row=header.row)
    _raise(problems)
    covered = _Merges(sheet.merged)
    check = _CodeCheck(known_codes, region_name)
    if person:
        return _load_persons(name, header, columns, data_rows, check, notes, reference_date)
    return _load_counts(name, header, columns, data_rows, check, notes, sheet.delimiter, covered)


def _load_counts(
    name: str,
    header: _Header,
    columns: Mapping[str, int],
    data_rows: Sequence[tuple[int, list[Cell]]],
    check: _CodeCheck,
    notes: list[str],
    delimiter: str | None,
    covered: _Merges,
) -> Registry:
    problems = ProblemCollector(name)
    interpreted = _Notes(delimiter)
    label = {c: header.labels[i] or c for c, i in columns.items()}
    count_columns = [c for c in COUNT_COLUMNS if c in columns]
    parse_code, parse_count = _Memo(_parse_code), _Memo(_parse_count)
    rows: list[_CountRow] = []
    statuses: dict[str, list[int]] = defaultdict(list)
    models: set[str] = set()
    for number, cells in data_rows:
        code_cell = _cell(cells, columns["kode_desa"])
        if _is_total_row(cells, code_cell):
            interpreted.add("total", "", str(number))
            continue
        code, message, kind = parse_code(code_cell)
        if code is None:
            if code_cell is None and (number, columns["kode_desa"]) in covered:
                message += " (inside a merged cell: unmerge and fill every row)"
            problems.add(message, row=number, column=label["kode_desa"])
        elif kind:
            interpreted.add(kind, label["kode_desa"], _cell_text(code_cell))
        values: dict[str, int] = {}
        for column in count_columns:
            parsed = parse_count(_cell(cells, columns[column]))
            if parsed.error:
                problems.add(parsed.error, row=number, column=label[column])
            elif parsed.value is None and column in OPTIONAL_COLUMNS:
                values[column] = 0
                interpreted.add("empty", label[column])
            elif parsed.value is None:
                hint = " (inside a merged cell)" if (number, columns[column]) in covered else ""
                problems.add("empty count" + hint, row=number, column=label[column])
            else:
                values[column] = parsed.value
                if parsed.kind:
                    interpreted.add(parsed.kind, label[column], parsed.example)
        if code is not None and len(values) == len(count_columns):
            rows.append(_CountRow(number, code, values))
        _read_estimate_marks(cells, columns, number, statuses, models, problems, label)
    counts = _validate_counts(rows, problems, check, label)
    is_estimate = _estimate_flag(statuses, problems)
    _raise(problems)
    notes.extend(interpreted.text())
    model = "; ".join(sorted(models)) or None
    if is_estimate:
        notes.append(f"file is marked as an estimate ({ESTIMATE_STATUS}), model: {model}")
    ignored = [header.labels[i] for i, k in enumerate(header.keys) if k and k not in _COUNT_MAP]
    if ignored:
        notes.append(f"columns ignored: {', '.join(ignored)}")
    return Registry(
        counts=counts,
        source=name,
        is_estimate=is_estimate,
        estimate_model=model if is_estimate else None,
        notes=tuple(notes),
    )


def _read_estimate_marks(
    cells: Sequence[Cell],
    columns: Mapping[str, int],
    number: int,
    statuses: dict[str, list[int]],
    models: set[str],
    problems: ProblemCollector,
    label: Mapping[str, str],
) -> None:
    """Collect the ``status``/``is_estimate``/``estimate_model`` marks of a row."""
    marked: bool | None = None
    if "status" in columns:
        status = _norm(_cell(cells, columns["status"]))
        marked = status == ESTIMATE_STATUS if status else None
    if "is_estimate" in columns:
        raw = _cell(cells, columns["is_estimate"])
        flag = _parse_flag(raw)
        if raw is not None and flag is None:
            problems.add(
                f"{_shown(raw)} is not true/false", row=number, column=label["is_estimate"]
            )
        elif flag is not None:
            marked = flag if marked is None else (marked or flag)
    statuses["yes" if marked else "no" if marked is False else "unmarked"].append(number)
    if "estimate_model" in columns:
        model = _cell_text(_cell(cells, columns["estimate_model"]))
        if model:
            models.add(model)


def _estimate_flag(statuses: Mapping[str, list[int]], problems: ProblemCollector) -> bool:
    yes = statuses.get("yes", [])
    if not yes:
        return False
    others = [*statuses.get("no", []), *statuses.get("unmarked", [])]
    if others:
        problems.add(
            f"rows {_rows_text(yes[:10])} are marked {ESTIMATE_STATUS!r} but rows "
            f"{_rows_text(sorted(others)[:10])} are not; a registry is either an estimate or not"
        )
    return True
