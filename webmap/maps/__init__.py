"""Folium maps: what the maps show (features, popups) and how they are drawn."""
