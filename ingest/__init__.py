"""Ingest layer of ikg: read report files, normalize them, parse them into a document model, build graphs."""
