"""Links between what texts say and where: task ↔ place, task ↔ township (responsibility), place → township."""
