-- An endpoint the sender disabled (issue 17): its receiver answered 410
-- Gone, which Standard Webhooks asks senders to take as "stop sending".
-- The newsroom shows why and since when, until an admin enables it again;
-- an endpoint disabled by hand has neither.
ALTER TABLE webhook_endpoints ADD COLUMN disabled_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE webhook_endpoints ADD COLUMN disabled_at BIGINT NOT NULL DEFAULT 0;
