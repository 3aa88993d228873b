"""The web layer shared by every feature: view helpers, forms, templating, security
headers, languages, pagination and error pages."""
