"""Challenge building and reading: spec → data → split → bundle and solution; lookup and ranking."""
