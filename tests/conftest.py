import sys
from pathlib import Path

# The test helpers (harness.py) live beside the tests.
sys.path.insert(0, str(Path(__file__).parent))

# The real packages tests/realworld/vendor.py installs may ship test suites of their own.
collect_ignore_glob = ["realworld/cache/*"]
