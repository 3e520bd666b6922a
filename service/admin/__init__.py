"""Admin use cases that span domains: failed-job views and retries."""
