-- wrk script: round-robin over a request mix, count every non-2xx response, print one JSON line.
-- Usage: wrk -t1 -c16 -d5s -s bench/wrk_mix.lua http://127.0.0.1:PORT -- mix.lua
-- mix.lua returns { {method=, path=, headers={}, body=}, ... } (written by bench/loadgen.py).

local threads = {}

function setup(thread)
   table.insert(threads, thread)
end

function init(args)
   local mix = dofile(args[1])
   requests = {}
   for i, r in ipairs(mix) do
      local body = nil
      if r.body ~= "" then body = r.body end
      requests[i] = wrk.format(r.method, r.path, r.headers, body)
   end
   counter = 0
   non2xx = 0
end

function request()
   counter = counter + 1
   return requests[(counter - 1) % #requests + 1]
end

function response(status, headers, body)
   if status < 200 or status > 299 then
      non2xx = non2xx + 1
   end
end

function done(summary, latency, requests)
   local bad = 0
   for _, thread in ipairs(threads) do
      bad = bad + thread:get("non2xx")
   end
   local e = summary.errors
   io.write(string.format(
      '{"requests": %d, "duration_us": %d, "non2xx": %d, "connect": %d, "read": %d, '
         .. '"write": %d, "timeout": %d, "p50_us": %d, "p99_us": %d}\n',
      summary.requests, summary.duration, bad, e.connect, e.read, e.write, e.timeout,
      latency:percentile(50), latency:percentile(99)))
end
