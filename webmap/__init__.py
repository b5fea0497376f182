"""The Flask application: planner map, township, task and place pages, OGC API adapter, the govmap command."""
