"""Governance health (styringssundhed): the rules the product checks by itself, and this
year's demo meetings it is shown with."""
