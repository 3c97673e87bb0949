-- Fewer pages written per report (issue 16): an index costs a page write on every insert. reports_by_wijk
-- (wijk_code) serves no query: the EXPLAIN QUERY PLAN of every statement on `reports` (the 197 distinct ones the
-- unit tests prepare, on 30,000 demo reports after ANALYZE) uses every other index of `reports` and never this
-- one; no query filters, groups or orders by wijk_code (the monitor groups by wijk_name). The other indexes
-- each serve a query of the queue, the search, the repeat detection, the monitor or retention.
DROP INDEX reports_by_wijk;
