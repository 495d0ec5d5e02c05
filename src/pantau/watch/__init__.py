"""The collector: polite continuous fetching of news sites (``pantau watch``)."""
