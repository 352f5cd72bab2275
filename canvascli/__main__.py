"""Where the `canvas` script and `python -m canvascli` start."""

import gc

# A run lasts a fraction of a second, and Python's cycle collector would spend a tenth of
# it sweeping, again and again, the objects that importing Typer and Rich creates (none of
# them garbage), and once more as Python exits. So it is paused while they load, and what
# exists is then set aside for good (`gc.freeze`): once here, and again before exiting.
gc.disable()
from canvascli.cli import main as run  # noqa: E402

gc.freeze()
gc.enable()


def main() -> None:
    try:
        run()
    finally:
        gc.freeze()


if __name__ == "__main__":
    main()
