"""The city-profile scale data `seed_scale` builds for benchmarks, one module per app."""
