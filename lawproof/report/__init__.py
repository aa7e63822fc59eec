"""Reports: one Report model, one renderer per format."""
