-- A load scenario: 100 connections, each sending a message every 10 ms for
-- two seconds, with the round-trip time of every message; reports p50,
-- p95 and p99.
--
--   sockbench --headless --scenario load.lua

local CONNECTIONS = 100
local ROUNDS = 200          -- every 10 ms: two seconds

-- The other side, so the scenario runs by itself: an echo server the
-- engine answers with. Point TARGET at your own server instead.
local echo = listen("tcp-listen://127.0.0.1:0", {echo = true})
local TARGET = "tcp://" .. echo:address()

local clients = {}
for i = 1, CONNECTIONS do
  clients[i] = connect(TARGET, {frame = "line"})
end

local function percentile(sorted, p)
  local index = math.max(1, math.ceil(#sorted * p / 100))
  return sorted[index]
end

test("100 connections every 10 ms", function()
  local times = {}
  local lost = 0
  for round = 1, ROUNDS do
    local started = now()
    local sent = {}
    for i = 1, CONNECTIONS do
      sent[i] = now()
      clients[i]:send("round " .. round .. " from " .. i .. "\n")
    end
    for i = 1, CONNECTIONS do
      if clients[i]:expect("round " .. round .. " from " .. i .. "\n", 1000) then
        times[#times + 1] = clients[i]:time() - sent[i]
      else
        lost = lost + 1
      end
    end
    local left = 10 - (now() - started)
    if left > 0 then sleep(math.floor(left)) end
  end
  table.sort(times)
  log(string.format("%d round trips: p50 %.3f ms, p95 %.3f ms, p99 %.3f ms, max %.3f ms, %d lost",
                    #times, percentile(times, 50), percentile(times, 95),
                    percentile(times, 99), times[#times], lost))
  check(lost == 0, lost .. " messages had no answer within 1 s")
end)
