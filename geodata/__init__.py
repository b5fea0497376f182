"""Reference geometry with provenance, coordinate reference systems, and importers for authoritative files.

Never imports Flask. Nothing here reads data at import time.
"""
