"""The Celery side: the app with its settings (`worker.app`) and the thin task (`worker.tasks`)."""
