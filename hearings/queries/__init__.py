"""What the public pages and open data read: selectors and statistics, cached by data version."""
