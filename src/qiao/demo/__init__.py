"""Demo data: a fictional Dresden–Jinan matchmaking story for trying Qiao out.

The data lives in JSON files under ``data/``; :func:`qiao.demo.loader.load_demo`
creates or updates it idempotently, and ``qiao demo`` runs it from the console.
"""
