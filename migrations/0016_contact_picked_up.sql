-- When the agent's phone picked the call up on the PBX (its `answered` event), apart from
-- answered_at, which is set when the agent accepts on the desk: a contact accepted but never
-- picked up (the phone rang out) goes back to the queue, one picked up does not (issue 13).
ALTER TABLE contacts ADD COLUMN picked_up_at timestamp with time zone;
--> statement-breakpoint
-- Calls on the line now whose answer the PBX reported keep it.
UPDATE contacts c SET picked_up_at = (
	SELECT min(e.at) FROM contact_events e WHERE e.contact_id = c.id AND e.kind = 'answered'
) WHERE c.status = 'connected';
