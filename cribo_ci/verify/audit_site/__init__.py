"""This folder goes on ``PYTHONPATH`` of a verified bundle run; see ``sitecustomize``."""
