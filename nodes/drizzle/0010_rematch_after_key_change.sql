-- The phonetic key changed (a y between vowels is read as part of the vowel) and the scorer has new
-- mark levels: re-queue every case so the matcher recomputes its stored blocking keys and profile
-- (matchCases always re-keys). Rejected pairs stay rejected: their material digests do not change.
UPDATE "cases" SET "matched_version" = NULL WHERE "matched_version" IS NOT NULL;
