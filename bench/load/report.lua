-- Shared by browse.lua and submit.lua: print the figures (wrk counts HTTP >= 400 as errors).
done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "requests %d in %.0f s = %.1f req/s; median %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
  io.write(string.format(
    "errors: connect %d, read %d, write %d, timeout %d, HTTP status >= 400: %d\n",
    e.connect, e.read, e.write, e.timeout, e.status))
end
