"""The production settings plus one trivial view, the yardstick the benchmark measures pages against."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
