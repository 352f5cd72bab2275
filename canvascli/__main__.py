"""Run the `canvas` command as `python -m canvascli`."""

from canvascli.cli import main

if __name__ == "__main__":
    main()
