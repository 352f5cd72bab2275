"""Where the `canvas` script and `python -m canvascli` start."""

import gc

# A run lasts a fraction of a second, and Python's cycle collector would spend a tenth of
# it sweeping, again and again, the objects that importing Typer and Rich creates (none of
# them garbage), and once more as Python exits. So it is paused while they load, and what
# exists is then set aside for good (`gc.freeze`): once here, and again before exiting.
gc.disable()
import sys  # noqa: E402

from canvascli.cli import main as run  # noqa: E402
from canvascli.env import Env  # noqa: E402

gc.freeze()
gc.enable()


def main() -> None:
    """Entry point of the `canvas` script: exit codes 0, 1, 2 and 130, never a traceback."""
    try:
        code = run(sys.argv[1:], Env.from_process())
    finally:
        gc.freeze()
    sys.exit(code)


if __name__ == "__main__":
    main()
