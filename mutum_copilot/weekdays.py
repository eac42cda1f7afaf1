"""The week's days: the keys a pack writes its hours under, and their pt-BR names.

A module of its own, with no imports, so the status bar's wording can name a
day without importing the pack's models (the first frame's import budget, see
:mod:`mutum_copilot.boot_record`).
"""

from __future__ import annotations

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_NAMES_PT = ("segunda", "terça", "quarta", "quinta", "sexta", "sábado", "domingo")
