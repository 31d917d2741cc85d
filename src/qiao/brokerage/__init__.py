"""Brokerage: introductions between organisations, proposed by an office and answered by both."""
