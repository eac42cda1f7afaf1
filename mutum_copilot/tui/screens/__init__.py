"""One screen per view; modal dialogs share one frame."""
