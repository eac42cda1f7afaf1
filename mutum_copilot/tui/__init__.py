"""The Textual shell: a thin layer over the core."""
