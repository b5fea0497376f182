"""Scoring govmap's reading against gold annotations (``govmap evaluate``)."""
