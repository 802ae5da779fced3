"""The page cache: answers kept under the release and data version, the cache breaker, the public statement timeout."""
