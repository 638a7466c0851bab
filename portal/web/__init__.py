"""Cross-cutting web plumbing: htmx, access rules, errors, security headers, request logs."""
