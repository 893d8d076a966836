"""Plain helpers the tests share: clocks, builders made through the services, and the tables
tests/test_every_url.py walks. Fixtures live in tests/conftest.py; factories in
tests/factories.py."""
