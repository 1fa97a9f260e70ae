"""The forms of the meetings app, one module per area as in `meetings.views`."""
