"""StepAhead: mentoring programmes where everyone is one step ahead in something."""
