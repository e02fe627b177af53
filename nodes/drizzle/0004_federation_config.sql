CREATE TABLE "federation_config" (
	"slot" text PRIMARY KEY DEFAULT 'current' NOT NULL,
	"version" integer NOT NULL,
	"jws" text NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"accepted_at" timestamp with time zone NOT NULL
);
