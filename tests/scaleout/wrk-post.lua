-- wrk script: POST contract requests to telpolicy serve (/v1/decisions), in rotation, and count the
-- answers that are not 200 or not a well-formed decision. For the scale-out test and for benchmarks:
--
--   wrk -t2 -c32 -d10s -s tests/scaleout/wrk-post.lua http://127.0.0.1:8181/v1/decisions
--   wrk ... -s tests/scaleout/wrk-post.lua http://127.0.0.1:8181 -- examples/requests/port-in.json
--   wrk ... -- examples/requests/batch.jsonl     (a .jsonl file: one request a line)
--
-- With no file, a built-in mix of requests that all get 200 (allowed or denied). The path is the
-- URL's, or /v1/decisions when the URL has none. WRK_CHECK=0 skips the per-response check, for
-- figures closest to the server's own cost. The last line printed is machine-readable:
--   wrk-post: responses=N non200=N malformed=N no_decision_id=N first_bad=...

local bodies = {
  '{"country":"US","action":"port_in","number_type":"toll_free","numbers":["+18002345678"]}',
  '{"country":"US","action":"new_numbers","number_type":"user","count":25}',
  '{"country":"PR","action":"port_in"}',
  '{"country":"US","action":"port_in","number_type":"user","count":1200}',
  '{"country":"US","action":"convert_to_service","pin":"482916","pin_is_set":true,"numbers":["+12025550143"]}',
  '{"country":"US","action":"transfer_tenant","pin":"482916","numbers":["+12025550143"]}',
  '{"country":"US","action":"set_pin","pin":"73829"}',
  '{"country":"PR","action":"clear_pin","pin_is_set":true}',
}

local function read_requests(path)
  local file, why = io.open(path, "rb")
  if not file then error("wrk-post.lua: cannot read " .. path .. ": " .. tostring(why)) end
  local text = file:read("*a")
  file:close()
  local found = {}
  if path:match("%.jsonl$") then
    for line in text:gmatch("[^\r\n]+") do
      if line:match("%S") then found[#found + 1] = line end
    end
  else
    found[1] = text
  end
  return found
end

local threads = {}

function setup(thread)
  threads[#threads + 1] = thread
end

local prepared = {}
local next_index = 0

function init(args)
  if #args > 0 then
    bodies = {}
    for _, path in ipairs(args) do
      for _, body in ipairs(read_requests(path)) do bodies[#bodies + 1] = body end
    end
  end
  local path = wrk.path
  if path == nil or path == "" or path == "/" then path = "/v1/decisions" end
  local headers = { ["Content-Type"] = "application/json" }
  for i, body in ipairs(bodies) do prepared[i] = wrk.format("POST", path, headers, body) end
  responses, non200, malformed, no_decision_id, first_bad = 0, 0, 0, 0, ""
end

function request()
  next_index = next_index % #prepared + 1
  return prepared[next_index]
end

-- A decision as the contract has it: an object with allowed, violations and matched_rules.
local function well_formed(body)
  return body:match("^%s*{") ~= nil and body:match("}%s*$") ~= nil
     and body:match('"allowed"%s*:%s*[tf]') ~= nil
     and body:match('"violations"%s*:%s*%[') ~= nil
     and body:match('"matched_rules"%s*:%s*%[') ~= nil
end

local function has_decision_id(headers)
  for name, value in pairs(headers) do
    if name:lower() == "decision-id" and value ~= "" then return true end
  end
  return false
end

if os.getenv("WRK_CHECK") ~= "0" then
  function response(status, headers, body)
    responses = responses + 1
    if status ~= 200 then
      non200 = non200 + 1
      if first_bad == "" then first_bad = "HTTP " .. status .. " " .. body:sub(1, 200) end
    elseif not well_formed(body) then
      malformed = malformed + 1
      if first_bad == "" then first_bad = "malformed " .. body:sub(1, 200) end
    elseif not has_decision_id(headers) then
      no_decision_id = no_decision_id + 1
    end
  end
end

function done(summary, latency, requests)
  local total = { responses = 0, non200 = 0, malformed = 0, no_decision_id = 0 }
  local bad = ""
  for _, thread in ipairs(threads) do
    for key in pairs(total) do total[key] = total[key] + (tonumber(thread:get(key)) or 0) end
    local first = thread:get("first_bad")
    if bad == "" and first ~= nil and first ~= "" then bad = first end
  end
  io.write(string.format("wrk-post: responses=%d non200=%d malformed=%d no_decision_id=%d first_bad=%s\n",
    total.responses, total.non200, total.malformed, total.no_decision_id, (bad:gsub("[\r\n]", " "))))
end
