"""The annual wheel (årshjul): recurring activities, the wheel year with the meetings merged
in, the picture, iCal and PDF, and its demo data."""
