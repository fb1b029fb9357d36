"""A tiny inventory report: the example project cribo-ci bundles."""

import argparse
import sys

from shapes import area_table, registry
from shapes.render import render_table


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--unit", default="cm", help="unit printed after each area")
    args = parser.parse_args(argv)
    rows = area_table(registry.default_shapes())
    print(render_table(rows, unit=args.unit))
    print(f"{len(rows)} shapes, total area {sum(area for _, area in rows):.2f} {args.unit}2")
    return 0


if __name__ == "__main__":
    sys.exit(main())
