"""Hot loop: stdlib calls and cross-module calls, timed inside the program.

The time goes to stderr (it differs run to run); stdout is the checked result.
"""

import sys
import time

from geometry import shapes
from geometry.vectors import Vector, norm

ROUNDS = 200_000


def main() -> int:
    started = time.perf_counter()
    total = 0.0
    for index in range(ROUNDS):
        vector = Vector(index % 7, index % 11)
        total += norm(vector) + shapes.circle_area(index % 5)
    elapsed = time.perf_counter() - started
    print(f"total {total:.3f}")
    print(f"loop_seconds={elapsed:.6f}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
