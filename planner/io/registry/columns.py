"""Columns of a registry file: canonical names, the aliases coordinators use, value limits.

:data:`COUNT_COLUMNS` are the columns of ``Registry.counts``; a file may name them in many
ways (``wktp``, ``jml_belum_rekam``, ...): ``_COUNT_MAP`` and ``_PERSON_MAP`` map each
normalised alias to its canonical name.
"""

from __future__ import annotations

from collections.abc import Mapping

#: Columns of ``Registry.counts``, in order. All are ``int64``.
COUNT_COLUMNS: tuple[str, ...] = (
    "wajib_ktp",
    "sudah_rekam",
    "belum_rekam",
    "lansia",
    "disabilitas",
    "pemula",
)
#: Count columns a file may leave out (they default to 0).
OPTIONAL_COLUMNS: tuple[str, ...] = ("lansia", "disabilitas", "pemula")
#: More people than this in one village is treated as a typing error.
MAX_VILLAGE_COUNT = 10_000_000
#: Value of the ``status`` column in a registry file written from an estimate.
ESTIMATE_STATUS = "estimasi"
#: Age (full years at the reference date) from which a person counts as ``lansia``.
LANSIA_AGE = 60
#: A person younger than this at the reference date counts as ``pemula`` (first KTP).
PEMULA_BELOW_AGE = 18

_CODE_ALIASES = (
    "kode_desa",
    "kode",
    "kode_wilayah",
    "kd_desa",
    "kode_kelurahan",
    "kode_desa_kelurahan",
    "kode_kemendagri",
)
_COUNT_ALIASES: dict[str, tuple[str, ...]] = {
    "wajib_ktp": ("wajib_ktp", "wktp", "w_ktp", "jumlah_wajib_ktp", "jml_wajib_ktp"),
    "sudah_rekam": ("sudah_rekam", "sudah_perekaman", "jumlah_sudah_rekam", "jml_sudah_rekam"),
    "belum_rekam": ("belum_rekam", "belum_perekaman", "jumlah_belum_rekam", "jml_belum_rekam"),
    "lansia": ("lansia", "lanjut_usia"),
    "disabilitas": ("disabilitas", "difabel", "penyandang_disabilitas"),
    "pemula": ("pemula", "pemilih_pemula", "ktp_pemula"),
    "status": ("status", "keterangan_data"),
    "is_estimate": ("is_estimate",),
    "estimate_model": ("estimate_model",),
}
_PERSON_ALIASES: dict[str, tuple[str, ...]] = {
    "nik": ("nik", "no_nik", "nomor_nik"),
    "nama": ("nama", "nama_lengkap", "nama_penduduk"),
    "status_rekam": (
        "status_rekam",
        "sudah_rekam",
        "status_perekaman",
        "status_ktp_el",
        "rekam",
        "perekaman",
    ),
    "tanggal_lahir": ("tanggal_lahir", "tgl_lahir", "tanggal_lhr"),
    "lansia": _COUNT_ALIASES["lansia"],
    "disabilitas": _COUNT_ALIASES["disabilitas"],
    "pemula": _COUNT_ALIASES["pemula"],
}


def _alias_map(aliases: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    out = {alias: "kode_desa" for alias in _CODE_ALIASES}
    for canonical, names in aliases.items():
        out.update({name: canonical for name in names})
    return out


_COUNT_MAP = _alias_map(_COUNT_ALIASES)
_PERSON_MAP = _alias_map(_PERSON_ALIASES)
_ANY_MAP = {**_COUNT_MAP, **_PERSON_MAP}
