"""The place registry and the reading of government texts: documents, tasks, indicators, mentions, links.

Never imports Flask. Nothing here reads data or builds indexes at import time.
"""
