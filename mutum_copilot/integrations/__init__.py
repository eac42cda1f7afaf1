"""Live lookups in the provider's systems (IXC Provedor, Flashman) and writes to IXC.

Plain core code over ``httpx``: no Textual, and no call on import. The TUI runs
the blocking calls (:mod:`.service`) in worker threads; the CLI (``lookup``)
calls them directly. What is read and written, and why, is in
docs/integrations.md.
"""
