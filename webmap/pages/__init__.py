"""The blueprints: one module per page family (planner map, townships, tasks, places, downloads, OGC API adapter)."""
