"""mutum-copilot: the terminal copilot for Mutum Fibra's after-hours call center."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("mutum-copilot")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"
