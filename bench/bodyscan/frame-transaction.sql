-- pgbench script: the transaction Scanport runs per POST /api/scan/frames on PostgreSQL (FrameRecorder), as the
-- server sends it: BEGIN, the scan's aggregates UPDATE (which takes the scan's row lock), the frame INSERT ...
-- ON CONFLICT DO NOTHING (whose row count tells a duplicate), COMMIT. Scanport's connections skip Npgsql's DISCARD ALL on reuse
-- (No Reset On Close), so nothing else is sent per frame.
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
BEGIN TRANSACTION ISOLATION LEVEL READ COMMITTED;
UPDATE scans AS s
SET frame_count = s.frame_count + 1,
    valid_frames = s.valid_frames + 1,
    frames_with_user = s.frames_with_user + 1,
    confidence_sum = s.confidence_sum + 0.9,
    stability_sum = s.stability_sum + 0.8,
    latest_frame_number = :frame
WHERE s.id = :sid AND s.org_id = :oid AND s.status = 'active';
INSERT INTO frames (frame_number, scan_id, confidence, id, iou, is_valid, stability_score, timestamp, user_in_frame)
VALUES (:frame, :sid, 0.9, gen_random_uuid(), 0.7, true, 0.8, now(), true)
ON CONFLICT (scan_id, frame_number) DO NOTHING;
COMMIT;
