"""Recognition and resolution of place mentions: names, route numbers, counted lists, compounds built on a place, unresolved candidates."""
