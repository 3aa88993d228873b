"""The web layer shared by every feature: view helpers, view loaders, forms, templating,
security headers, languages, pagination and error pages."""
