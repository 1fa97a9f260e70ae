"""The annual action plan (indsatsplan): criteria, entries, scores, ranks, capacity, states,
progress, its documents and its demo data."""
