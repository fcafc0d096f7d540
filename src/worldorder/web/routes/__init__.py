"""The web app's routers, one per page, plus the app's own routes (meta) and the HTML pages."""
