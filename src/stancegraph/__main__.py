"""``python -m stancegraph``: the same command line as the ``stancegraph`` script, for
environments whose scripts folder is not on the path."""

from stancegraph.cli.main import run

run()
