ALTER TABLE "envelopes" ALTER COLUMN "body" SET DATA TYPE text;--> statement-breakpoint
-- An envelope row (~2 KB of base64 ciphertext) is just over the 2 KB at which PostgreSQL tries to
-- compress a row and move it out of line; ciphertext does not compress, so that was CPU for
-- nothing on every insert (about half of the insert's cost, measured). Kept inline up to a page.
ALTER TABLE "envelopes" SET (toast_tuple_target = 8160);
