"""The layer catalogue, filters, exports and the framework-free OGC API – Features core. Never imports Flask."""
