-- wrk script: POST /api/scan/frames, one frame per request, every frame number fresh.
-- Environment: SCAN_IDS (comma-separated; wrk thread k posts to scan k, wrapping around: run it with as many
-- threads as connections and as many scans as threads, and every connection streams a scan of its own),
-- TOKEN (bearer token; none for the bare reference), FRAME_START (frame numbers start above it; default 0),
-- EXPECT (the one good status; default 201, since a 200 means "already recorded").
-- Frame numbers are FRAME_START + k * 10,000,000 + n: unique even when threads share a scan.
-- done() prints one line "RESULT key=value ..."; any other status or any socket error makes the run invalid.

local scan_list = {}
for id in string.gmatch(os.getenv("SCAN_IDS") or "", "[^,]+") do scan_list[#scan_list + 1] = id end
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  local k = #threads
  thread:set("tid", k)
  thread:set("scan_id", scan_list[(k - 1) % math.max(#scan_list, 1) + 1] or "00000000-0000-0000-0000-000000000000")
end

function init(args)
  frame = tonumber(os.getenv("FRAME_START") or "0") + tid * 10000000
  expect = tonumber(os.getenv("EXPECT") or "201")
  good, dup, bad, first_bad = 0, 0, 0, 0
  headers = { ["Content-Type"] = "application/json" }
  local token = os.getenv("TOKEN")
  if token and token ~= "" then headers["Authorization"] = "Bearer " .. token end
end

function request()
  frame = frame + 1
  local body = string.format(
    '{"scanId":"%s","frameNumber":%d,"userInFrame":true,"confidence":0.9,"stabilityScore":0.8,"iou":0.7}',
    scan_id, frame)
  return wrk.format("POST", nil, headers, body)
end

function response(status, headers, body)
  if status == expect then good = good + 1
  elseif status == 200 then dup = dup + 1
  else
    bad = bad + 1
    if first_bad == 0 then first_bad = status end
  end
end

function done(summary, latency, requests)
  local good_n, dup_n, bad_n, first = 0, 0, 0, 0
  for _, t in ipairs(threads) do
    good_n = good_n + t:get("good"); dup_n = dup_n + t:get("dup"); bad_n = bad_n + t:get("bad")
    if first == 0 then first = t:get("first_bad") end
  end
  local e, seconds = summary.errors, summary.duration / 1e6
  io.write(string.format(
    "RESULT requests=%d duration_s=%.3f rps=%.1f lat_avg_ms=%.3f lat_p50_ms=%.3f lat_p99_ms=%.3f " ..
    "good=%d duplicate_200=%d other_status=%d first_other_status=%d " ..
    "err_connect=%d err_read=%d err_write=%d err_timeout=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency.mean / 1000, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    good_n, dup_n, bad_n, first, e.connect, e.read, e.write, e.timeout))
end
