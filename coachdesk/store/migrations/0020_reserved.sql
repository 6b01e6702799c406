-- 0020 is another branch's migration (issue 22's helper was given 0021). This placeholder
-- keeps the numbers without a gap on this branch only: drop it when merging that branch.
SELECT 1;
