"""Following a plan through the year (一季度一督办一通报): reporting quarters, the workflow of a unit's quarterly
report, the 红黄绿 light of an assignment computed when it is read, and who may do what.

Pure functions over small frozen values: no storage, no Flask. The storage keeps reports and events; pages, the
API and spreadsheet uploads ask :func:`~gazetteer.supervision.access.allowed` and compute lights here, so that a
light is never a stored counter that drifts.
"""
