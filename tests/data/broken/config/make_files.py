"""Generate the broken teams and policy TOML files next to this script.

Run ``python tests/data/broken/config/make_files.py``; the output is byte-for-byte the same on
every run. Files are for the bundled region ``sarolangun`` (depots ``dinas-15.03``,
``kec-15.03.CC``) and the week of Monday 2018-10-08; ``teams_*`` files are given to
``jemput plan --teams``, ``policy_*`` files to ``--policy``
(``tests/integration/test_broken_inputs.py``).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

HERE = Path(__file__).resolve().parent

TEAM = 'id = "tim-1"\nname = "Tim Sarolangun 1"\ndepot = "dinas-15.03"\n'

#: name -> file content (str: UTF-8 text; bytes: written as they are)
FILES: dict[str, str | bytes] = {
    "teams_01_wrong_types.toml": (
        '[[teams]]\nid = "tim-1"\nname = "Tim 1"\ndepot = "dinas-15.03"\n'
        'kits = "dua"\nboat = "ya"\nsetup_minutes = [30]\n'
    ),
    "teams_02_unknown_key.toml": f'[[teams]]\n{TEAM}warna = "merah"\n',
    "teams_03_unknown_depot.toml": '[[teams]]\nid = "tim-1"\nname = "T"\ndepot = "dinas-15.99"\n',
    "teams_04_zero_kits.toml": f"[[teams]]\n{TEAM}kits = 0\n",
    "teams_05_negative_minutes_per_record.toml": f"[[teams]]\n{TEAM}minutes_per_record = -7.0\n",
    "teams_06_duplicate_ids.toml": f"[[teams]]\n{TEAM}\n[[teams]]\n{TEAM}",
    "teams_07_invalid_syntax.toml": '[[teams]\nid = "tim-1"\nname = "Tim 1\n',
    "teams_08_empty.toml": "",
    "teams_09_binary_garbage.toml": b"",  # filled in by garbage() below
    "teams_10_other_region.toml": (
        'region = "banten"\n\n[[teams]]\nid = "serang-1"\nname = "Tim Serang 1"\n'
        'depot = "dinas-36.04"\n\n[[teams]]\nid = "pulo"\nname = "Tim Pulo"\n'
        'depot = "kec-36.04.08"\nboat = true\n'
    ),
    "teams_11_teams_not_a_list.toml": "teams = 3\n",
    "teams_12_no_teams.toml": "[defaults]\nkits = 2\n",
    "teams_13_unknown_mode.toml": f'[[teams]]\n{TEAM}modes = ["helikopter"]\n',
    "teams_14_bad_regency.toml": f'[[teams]]\n{TEAM}regencies = ["15.3", "16.01"]\n',
    "teams_15_unknown_weekday.toml": f'[[teams]]\n{TEAM}working_days = ["senin", "minggu2"]\n',
    "teams_16_latin1.toml": f"[[teams]]\n{TEAM}".replace("Tim Sarolangun 1", "Tim Pauh é").encode(
        "latin-1"
    ),
    "teams_17_unknown_base.toml": f'[[teams]]\n{TEAM}base = "otomatis"\n',
    "policy_01_shift_end_before_start.toml": (
        '[calendar.shifts.senin]\nstart = "16:00"\nend = "07:30"\n'
    ),
    "policy_02_break_longer_than_shift.toml": (
        '[calendar.shifts.selasa]\nstart = "07:30"\nend = "09:00"\nbreak_minutes = 120\n'
        'break_earliest = "08:00"\nbreak_latest = "08:30"\n'
    ),
    "policy_03_week_of_holidays.toml": (
        "[calendar]\nextra_non_working = [\n"
        + "".join(f'  {{ date = 2018-10-{d:02d}, note = "rapat kerja" }},\n' for d in range(8, 13))
        + "]\n"
    ),
    "policy_04_time_limit_zero.toml": "[solver]\ntime_limit_s = 0\n",
    "policy_05_unknown_key.toml": "[solver]\ntime_limit = 10\n",
    "policy_06_wrong_types.toml": '[solver]\nseed = "tujuh"\nsolution_limit = -3\n',
    "policy_07_impossible_date.toml": '[calendar]\nextra_non_working = ["2018-02-30"]\n',
    "policy_08_invalid_syntax.toml": "[solver\ntime_limit_s = = 5\n",
    "policy_09_binary_garbage.toml": b"",  # filled in by garbage() below
    "policy_10_unknown_metaheuristic.toml": '[solver]\nmetaheuristic = "ANT_COLONY"\n',
    "policy_11_not_a_table.toml": 'solver = "cepat"\n',
}


def garbage(size: int, salt: bytes) -> bytes:
    """Deterministic pseudo-random bytes (SHA-256 chain) with NULs and invalid UTF-8."""
    out = b""
    block = salt
    while len(out) < size:
        block = hashlib.sha256(block).digest()
        out += block
    return b"\x00\xff\xfe" + out[:size]


FILES["teams_09_binary_garbage.toml"] = garbage(700, b"teams")
FILES["policy_09_binary_garbage.toml"] = garbage(500, b"policy")


def main(out: Path = HERE) -> None:
    """Write every file into ``out`` (default: next to this script)."""
    out.mkdir(parents=True, exist_ok=True)
    for name, content in FILES.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        (out / name).write_bytes(data)


if __name__ == "__main__":
    main()
