"""Dashboard metrics: open by severity, trend, time to remediate, SLA compliance."""
