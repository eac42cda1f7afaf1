"""One module per CLI subcommand; each has ``register(subparsers)`` and ``run(args)``.

Modules import only what their own command needs, so ``ask`` and ``shift``
answer without loading Textual.
"""
