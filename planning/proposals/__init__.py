"""Proposals: needs and ideas, their assessment, and making one a project."""
