-- pgbench script: the transaction Scanport runs per POST /api/scan/frames on PostgreSQL (FrameRecorder), as the
-- server sends it: one statement in autocommit that locks the scan row (FOR UPDATE, if this organization's and
-- active), inserts the frame ON CONFLICT DO NOTHING, and adds it to the scan's aggregates only if it was inserted.
-- Scanport's connections skip Npgsql's DISCARD ALL on reuse (No Reset On Close), so nothing else is sent per frame.
--
-- Each pgbench client streams frames of its own scan, made through the API with sessionId "pgbench-<client_id>";
-- run with -M prepared (variables are bound as parameters) and -D need_lookup=1 -D frame=<start>: the first
-- transaction of a client finds its scan (client-side \if, once per client), then every transaction records the
-- next frame number of that scan. The frame values are the ones bench/bodyscan/ingest.lua posts
-- (userInFrame true, confidence 0.9, stability 0.8, iou 0.7: valid).
\if :need_lookup
SELECT id AS sid, org_id AS oid, 0 AS need_lookup FROM scans WHERE session_id = 'pgbench-' || :client_id::text AND status = 'active' \gset
\endif
\set frame :frame + 1
WITH s AS (
    SELECT id FROM scans WHERE id = :sid AND org_id = :oid AND status = 'active' FOR UPDATE),
ins AS (
    INSERT INTO frames (scan_id, frame_number, id, user_in_frame, confidence, stability_score, iou, is_valid, timestamp)
    SELECT s.id, :frame, gen_random_uuid(), true, 0.9, 0.8, 0.7::double precision, true, now() FROM s
    ON CONFLICT (scan_id, frame_number) DO NOTHING
    RETURNING frame_number),
upd AS (
    UPDATE scans SET frame_count = frame_count + 1, valid_frames = valid_frames + 1,
        frames_with_user = frames_with_user + 1, confidence_sum = confidence_sum + 0.9,
        stability_sum = stability_sum + 0.8, latest_frame_number = ins.frame_number
    FROM ins WHERE scans.id = :sid
    RETURNING 1)
SELECT (SELECT count(*) FROM s)::int AS scans, (SELECT count(*) FROM ins)::int AS inserted, (SELECT count(*) FROM upd)::int AS updated;
