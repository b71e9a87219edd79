"""The command line's parts: its grammar (parser), what the commands share (common), and the
commands other than `make` and `sync` by what they work on. digest.cli dispatches and reports."""
