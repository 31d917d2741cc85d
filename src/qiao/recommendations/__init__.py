"""Partner recommendations: stored profile embeddings and ranked partners with reasons."""
