-- wrk script of the full-path bench (run.codetether.bench.fullpath). Arguments after "--":
--   mode    send | get | card   (send: blocking JSON-RPC SendMessage with a fresh messageId per request;
--                                get: GetTask of one task; card: GET of the URL as given)
--   expect  text every good response body contains (e.g. TASK_STATE_COMPLETED); others count as failed
--   nonce   unique per run: the message ids are <nonce>-<thread>-<n>
--   taskid  (get only) the task to read
-- done() prints one line: WRK-RESULT key=value ... (parsed by the bench).
local threads = {}
local next_thread = 0

function setup(thread)
  next_thread = next_thread + 1
  thread:set("tid", next_thread)
  table.insert(threads, thread)
end

function init(args)
  mode = args[1]
  expect = args[2]
  nonce = args[3]
  taskid = args[4]
  n = 0
  completed = 0
  failed = 0
  sample = ""
  headers = { ["Content-Type"] = "application/json", ["A2A-Version"] = "1.0" }
end

function request()
  n = n + 1
  if mode == "card" then
    return wrk.format("GET", nil, { ["Accept"] = "application/json" }, nil)
  end
  local body
  if mode == "get" then
    body = '{"jsonrpc":"2.0","id":' .. n .. ',"method":"GetTask","params":{"id":"' .. taskid .. '"}}'
  else
    body = '{"jsonrpc":"2.0","id":' .. n .. ',"method":"SendMessage","params":{"message":{"messageId":"'
      .. nonce .. '-' .. tid .. '-' .. n .. '","role":"ROLE_USER","parts":[{"text":"Say ok."}]}}}'
  end
  return wrk.format("POST", nil, headers, body)
end

function response(status, headers, body)
  if status == 200 and string.find(body, expect, 1, true) then
    completed = completed + 1
  else
    failed = failed + 1
    if sample == "" then
      sample = status .. " " .. string.sub(body, 1, 300):gsub("%s", " ")
    end
  end
end

function done(summary, latency, requests)
  local c, f, s = 0, 0, ""
  for _, t in ipairs(threads) do
    c = c + t:get("completed")
    f = f + t:get("failed")
    if s == "" then s = t:get("sample") end
  end
  local e = summary.errors
  io.write(string.format("WRK-RESULT requests=%d completed=%d failed=%d duration_us=%d p50_us=%d p99_us=%d "
    .. "mean_us=%d max_us=%d connect_err=%d read_err=%d write_err=%d timeout_err=%d status_err=%d\n",
    summary.requests, c, f, summary.duration, latency:percentile(50), latency:percentile(99),
    math.floor(latency.mean), latency.max, e.connect, e.read, e.write, e.timeout, e.status))
  if s ~= "" then
    io.write("WRK-SAMPLE-FAILURE " .. s .. "\n")
  end
end
