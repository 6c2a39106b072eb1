-- The tutorial's UDP server as a scenario: wait for a datagram and answer
-- its sender with 服务端收到信息啦！ in GBK, three times.
--
--   sockbench --headless --scenario udp-server.lua

local server = listen("udp-listen://127.0.0.1:0")
log("bound to", server:address())

-- The other side, so the scenario runs by itself: a client.
local client = connect("udp://" .. server:address())

local REPLY = hex("b7 fe ce f1 b6 cb ca d5 b5 bd d0 c5 cf a2 c0 b2 a3 a1")

test("three datagrams answered", function()
  for i = 1, 3 do
    client:send("hello " .. i)
    local question = assert(server:expect("hello " .. i, 2000))
    server:send(REPLY, server:sender())
    assert(client:expect(REPLY, 2000))
  end
end)
