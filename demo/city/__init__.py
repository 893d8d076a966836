"""The demo city `load_demo` builds from the seeds: units, people and logins, campaigns,
the ledger. Safe to run twice."""
