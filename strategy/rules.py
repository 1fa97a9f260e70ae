"""The permissions of strategy: the strategies and their goals (a project's links to them are
kept by the project's keepers, `portfolio.edit_project`)."""

import rules

from core.permissions import is_writer

# Keep the strategies and their goals.
rules.add_perm("strategy.change", is_writer)
