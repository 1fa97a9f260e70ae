"""Forms of the portfolio, one module per area (as `portfolio.views`)."""
