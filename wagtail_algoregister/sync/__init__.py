"""What every exporter of entries shares: records, outcomes, backoff, signals and the
editors' report."""
