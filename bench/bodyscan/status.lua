-- wrk script: GET the URL given to wrk (e.g. /api/scan/status?scanId=...) and count the answers.
-- Environment: TOKEN (bearer token; none for the bare reference), EXPECT (the one good status; default 200).
-- done() prints one line "RESULT key=value ..."; any other status or any socket error makes the run invalid.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  expect = tonumber(os.getenv("EXPECT") or "200")
  good, dup, bad, first_bad = 0, 0, 0, 0
  local token = os.getenv("TOKEN")
  if token and token ~= "" then wrk.headers["Authorization"] = "Bearer " .. token end
end

function response(status, headers, body)
  if status == expect then good = good + 1
  else
    bad = bad + 1
    if first_bad == 0 then first_bad = status end
  end
end

function done(summary, latency, requests)
  local good_n, bad_n, first = 0, 0, 0
  for _, t in ipairs(threads) do
    good_n = good_n + t:get("good"); bad_n = bad_n + t:get("bad")
    if first == 0 then first = t:get("first_bad") end
  end
  local e, seconds = summary.errors, summary.duration / 1e6
  io.write(string.format(
    "RESULT requests=%d duration_s=%.3f rps=%.1f lat_avg_ms=%.3f lat_p50_ms=%.3f lat_p99_ms=%.3f " ..
    "good=%d duplicate_200=0 other_status=%d first_other_status=%d " ..
    "err_connect=%d err_read=%d err_write=%d err_timeout=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency.mean / 1000, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    good_n, bad_n, first, e.connect, e.read, e.write, e.timeout))
end
