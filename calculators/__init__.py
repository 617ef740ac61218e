"""The arithmetic of sections 4.1-4.2 of Carlsmith's report, exact in log space."""
