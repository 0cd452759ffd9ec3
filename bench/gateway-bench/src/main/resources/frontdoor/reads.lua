-- wrk script of FrontDoorBench (run.codetether.bench.gateway): the front door's reads. Arguments after "--":
--   mode    get10 | get03 | rest | card   (get10: JSON-RPC GetTask with A2A-Version 1.0; get03: JSON-RPC 0.3
--           tasks/get; rest: GET of the URL as given (HTTP+JSON GetTask); card: GET of the URL as given)
--   expect  text every good response body contains (the task id, or the card's name); others count as failed
--   taskid  the task to read (get10, get03)
--   auth    the Authorization header's value, or "-" for none
-- done() prints one line: FRONTDOOR-RESULT key=value ... (parsed by the bench).
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  mode = args[1]
  expect = args[2]
  taskid = args[3]
  completed = 0
  failed = 0
  sample = ""
  local h = { ["Accept"] = "application/json" }
  if args[4] ~= nil and args[4] ~= "-" then h["Authorization"] = args[4] end
  if mode == "get10" or mode == "rest" then h["A2A-Version"] = "1.0" end
  if mode == "get10" or mode == "get03" then h["Content-Type"] = "application/json" end
  local body = nil
  if mode == "get10" then
    body = '{"jsonrpc":"2.0","id":7,"method":"GetTask","params":{"id":"' .. taskid .. '"}}'
  elseif mode == "get03" then
    body = '{"jsonrpc":"2.0","id":7,"method":"tasks/get","params":{"id":"' .. taskid .. '"}}'
  end
  -- the same bytes every time: the client's cost stays out of the servers' comparison
  if body == nil then
    req = wrk.format("GET", nil, h, nil)
  else
    req = wrk.format("POST", nil, h, body)
  end
end

function request()
  return req
end

function response(status, headers, body)
  if status == 200 and string.find(body, expect, 1, true) and not string.find(body, '"error"', 1, true) then
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
  io.write(string.format("FRONTDOOR-RESULT completed=%d failed=%d duration_us=%d p50_us=%d p99_us=%d sockerr=%d\n",
    c, f, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout))
  if s ~= "" then
    io.write("FRONTDOOR-SAMPLE-FAILURE " .. s .. "\n")
  end
end
