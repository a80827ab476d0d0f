-- 0021_snmp_polling: how Linedesk reaches each switch and OLT by SNMP (issue 15), and when each is
-- polled next (src/modules/settings/snmp-nodes.ts, src/modules/network/polling/).
--
-- One entry per node polled, named as network_nodes names it. No foreign key: regenerating the demo
-- data truncates the network, and must not take the administrator's settings with it (the names
-- are deterministic); an entry whose node is gone is listed but not polled.
CREATE TABLE settings_snmp_nodes (
	node text PRIMARY KEY,
	snmp_version text NOT NULL,
	port integer NOT NULL DEFAULT 161,
	-- Whether the 2nd line may bounce this node's ports (ifAdminStatus down, then up).
	bounce_allowed boolean NOT NULL DEFAULT false,
	-- Seconds between polls of this node; null: the global interval.
	interval_seconds integer,
	-- SNMPv3 (RFC 3414 USM): the user and which protocols; the keys are in the sealed part.
	v3_user text,
	auth_protocol text,
	priv_protocol text,
	-- The community (v2c) or the auth and priv keys (v3) as JSON, sealed with SETTINGS_KEY
	-- (AES-256-GCM, additional data `snmp:<node>`), as the NAS secrets are.
	ciphertext text,
	iv text,
	tag text,
	key_id text,
	version bigint NOT NULL DEFAULT nextval('settings_version_seq'),
	updated_at timestamp with time zone NOT NULL DEFAULT now(),
	updated_by integer,
	CONSTRAINT settings_snmp_nodes_version CHECK (snmp_version IN ('v2c', 'v3')),
	CONSTRAINT settings_snmp_nodes_port CHECK (port BETWEEN 1 AND 65535),
	CONSTRAINT settings_snmp_nodes_interval CHECK (interval_seconds BETWEEN 10 AND 86400),
	CONSTRAINT settings_snmp_nodes_auth CHECK (auth_protocol IN ('sha', 'md5')),
	CONSTRAINT settings_snmp_nodes_priv CHECK (priv_protocol IN ('aes', 'des')),
	CONSTRAINT settings_snmp_nodes_v3 CHECK (snmp_version = 'v2c' OR v3_user IS NOT NULL)
);
--> statement-breakpoint
-- The poller's global settings, one row (absent: the defaults in snmp-nodes.ts).
CREATE TABLE settings_snmp_polling (
	id smallint PRIMARY KEY DEFAULT 1,
	interval_seconds integer NOT NULL,
	timeout_ms integer NOT NULL,
	retries integer NOT NULL,
	backoff_max_seconds integer NOT NULL,
	jitter_percent integer NOT NULL,
	concurrency integer NOT NULL,
	version bigint NOT NULL DEFAULT nextval('settings_version_seq'),
	updated_at timestamp with time zone NOT NULL DEFAULT now(),
	updated_by integer,
	CONSTRAINT settings_snmp_polling_one CHECK (id = 1),
	CONSTRAINT settings_snmp_polling_interval CHECK (interval_seconds BETWEEN 10 AND 86400),
	CONSTRAINT settings_snmp_polling_timeout CHECK (timeout_ms BETWEEN 100 AND 60000),
	CONSTRAINT settings_snmp_polling_retries CHECK (retries BETWEEN 0 AND 5),
	CONSTRAINT settings_snmp_polling_backoff CHECK (backoff_max_seconds BETWEEN 10 AND 86400),
	CONSTRAINT settings_snmp_polling_jitter CHECK (jitter_percent BETWEEN 0 AND 50),
	CONSTRAINT settings_snmp_polling_concurrency CHECK (concurrency BETWEEN 1 AND 256)
);
--> statement-breakpoint
-- When each node is polled next. A claim moves next_poll_at past the poll's longest run (the lease),
-- so a node whose instance died mid-poll is due again by itself; `claim` grows with every claim, so
-- a poll that outlived its lease cannot overwrite the next claimer's schedule.
CREATE TABLE snmp_poll_schedule (
	node_id integer PRIMARY KEY REFERENCES network_nodes (id) ON DELETE CASCADE,
	next_poll_at timestamp with time zone NOT NULL,
	claim bigint NOT NULL DEFAULT 0,
	claimed_by text,
	-- Polls in a row that got no answer: the back-off doubles with each.
	failures integer NOT NULL DEFAULT 0,
	last_polled_at timestamp with time zone,
	last_error text
);
--> statement-breakpoint
CREATE INDEX snmp_poll_schedule_due ON snmp_poll_schedule (next_poll_at);
