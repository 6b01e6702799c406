"""Sync: the op log (hlc, ops) beneath the store, and bundles above it.

`hlc` and `ops` need only a database connection, so the store's aggregate
modules write through them. `bundle` and `merge` (export/import) sit on top.
"""
