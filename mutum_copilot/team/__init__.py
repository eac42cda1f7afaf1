"""The team store: every seat's calls in one PostgreSQL, and the reports on top.

Each copilot keeps writing its local SQLite history first; a background worker
(:mod:`.sync`) reads what is pending from a :class:`~.records.SyncSource` and
pushes it, minimised (:mod:`.scrub`), to the team's PostgreSQL (:mod:`.store`),
whose schema the app creates and migrates itself (:mod:`.schema`). Reports
(:mod:`.reports`) read it back for supervisors. Core code: never imports the
TUI nor Textual. See docs/team-store.md.
"""
