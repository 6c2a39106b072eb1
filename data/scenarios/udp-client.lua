-- The tutorial's UDP client as a scenario: send "hello" in a datagram and
-- expect the server's answer, 服务端收到信息啦！ in GBK.
--
--   sockbench --headless --scenario udp-client.lua

-- The other side, so the scenario runs by itself: the UDP server.
local server = listen("udp-listen://127.0.0.1:0")

local client = connect("udp://127.0.0.1:" .. server:port())

-- 服务端收到信息啦！ in GBK
local REPLY = hex("b7 fe ce f1 b6 cb ca d5 b5 bd d0 c5 cf a2 c0 b2 a3 a1")

test("one question, one answer", function()
  client:send("hello")
  assert(server:expect("hello", 2000))
  server:send(REPLY, server:sender())
  local answer = assert(client:expect(REPLY, 2000))
  check(#answer == 18, "the answer is " .. #answer .. " bytes, not 18")
end)
