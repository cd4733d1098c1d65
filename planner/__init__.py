"""jemput-bola: plan mobile e-KTP recording teams for Disdukcapil offices."""

__version__ = "0.1.0"
