-- 0013_operational_settings: what an administrator edits in the app (src/modules/settings/schema.ts
-- says why each table is shaped as it is). Rows are written by the app on first start, from the
-- defaults in code and the production calendars shipped in src/modules/settings/calendars.
CREATE SEQUENCE settings_version_seq;
--> statement-breakpoint
CREATE TABLE settings_documents (
	kind text PRIMARY KEY,
	value jsonb NOT NULL,
	version bigint NOT NULL DEFAULT nextval('settings_version_seq'),
	updated_at timestamp with time zone NOT NULL DEFAULT now(),
	updated_by integer,
	CONSTRAINT settings_documents_kind CHECK (kind IN ('lines', 'contacts', 'calendar'))
);
--> statement-breakpoint
CREATE TABLE settings_secrets (
	name text PRIMARY KEY,
	ciphertext text,
	iv text,
	tag text,
	key_id text,
	version bigint NOT NULL DEFAULT nextval('settings_version_seq'),
	updated_at timestamp with time zone NOT NULL DEFAULT now(),
	updated_by integer,
	CONSTRAINT settings_secrets_sealed CHECK (
		(ciphertext IS NULL AND iv IS NULL AND tag IS NULL AND key_id IS NULL)
		OR (ciphertext IS NOT NULL AND iv IS NOT NULL AND tag IS NOT NULL AND key_id IS NOT NULL)
	)
);
--> statement-breakpoint
CREATE TABLE production_calendar_days (
	day date PRIMARY KEY,
	kind text NOT NULL,
	title text,
	moved_from date,
	CONSTRAINT production_calendar_days_kind CHECK (kind IN ('holiday', 'shortened', 'working'))
);
