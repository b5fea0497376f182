"""The place registry: the model's places by id and name, the admin hierarchy, how the gazetteer is assembled from reference data, the curated file and imports, and its checks."""
