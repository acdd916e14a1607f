"""The benchmark harness behind ``make bench``.

- ``bench.generate``: a large, realistic, deterministic data set (154 partnerships). Each feature adds
  its records by appending a ``(partnerships, rng) -> None`` callable to ``GENERATORS``.
- ``bench.pages``: the pages loaded, as ``(name, path template, role)`` entries in ``PAGES``.
- ``bench.run``: builds the PostgreSQL database ``yjplan_bench``, serves it with gunicorn, loads every page
  with wrk, counts each page's SQL queries and writes ``bench/results/latest.json``.
"""
