"""cribo-ci: bundle a multi-module Python project into one exec-free .py file."""

__version__ = "0.1.0"
