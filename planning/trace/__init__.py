"""The forward trace of decisions: what a decision started or changed, and what became of a
body's decisions of the last two years."""
