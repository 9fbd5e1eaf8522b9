"""Draw the course's diagrams into images/ as SVG: `make images` runs this file.

The figures are drawn by the package next to it, scripts/diagrams/: `common.py` (colours, fonts, drawing helpers,
the layout check) and one module of figures per lesson (`lesson01.py`, `lesson02.py`, ...). This file only runs
it:

    python scripts/make_images.py                 # all figures into images/
    python scripts/make_images.py --png /tmp/png  # also a PNG copy of each, to look at
    python scripts/make_images.py --only lstm_cell beam_tree

It exits with an error when a figure has a layout problem (overlapping labels, a label outside its box or the
figure).
"""

import sys

from diagrams import main  # scripts/ is on sys.path: it holds this file

if __name__ == "__main__":
    sys.exit(main())
