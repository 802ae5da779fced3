"""The public site: views, addresses, filters, charts and the middleware in front of them."""
