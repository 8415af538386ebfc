"""The conversion cache stays within its size: the entries used longest ago go first."""

import os

from maskgan_studio.engine.backend_cache import ConversionCache


def _age(cache, key, seconds_ago):
    stamp = os.stat(cache.path(key)).st_mtime - seconds_ago
    os.utime(cache.path(key), (stamp, stamp))


def test_storing_past_the_size_removes_the_least_recently_used_entries_and_never_the_new_one(tmp_path):
    cache = ConversionCache(tmp_path, max_bytes=3500)
    for age, key in enumerate(["newest", "middle", "oldest"]):
        cache.store(key, bytes(1000))
        _age(cache, key, 100 * (age + 1))
    assert cache.load("oldest") == bytes(1000)  # used now: it becomes the most recent
    cache.store("fourth", bytes(1000))
    assert sorted(path.stem for path in tmp_path.glob("*.blob")) == ["fourth", "newest", "oldest"]
    cache.store("huge", bytes(5000))  # larger than the whole allowance: kept alone
    assert [path.stem for path in tmp_path.glob("*.blob")] == ["huge"]
    assert cache.load("huge") == bytes(5000)
