-- The tutorial's TCP server as a scenario: listen, accept a client, read
-- what it sends and answer with the same bytes, until it closes.
--
--   sockbench --headless --scenario tcp-echo-server.lua

local server = listen("tcp-listen://127.0.0.1:0", {frame = "line"})
log("listening on", server:address())

-- The other side, so the scenario runs by itself: a client.
local client = connect("tcp://" .. server:address(), {frame = "line"})

test("a client is greeted", function()
  client:send("hello\n")
  assert(server:expect("hello", 2000))
  check(#server:peers() == 1, "expected one client, got " .. #server:peers())
  server:send("您好，您收到了服务器的新年祝福！\n", server:sender())
  assert(client:expect("新年祝福", 2000))
end)

test("the server echoes what it reads", function()
  client:send("ping\n")
  local line = assert(server:expect("ping", 2000))
  server:send(line, server:sender())
  assert(client:expect("ping\n", 2000))
end)

test("the client closes", function()
  client:shutdown()
  local frame, reason = server:expect("anything more", 2000)
  check(frame == nil, "the client sent more")
  log(reason)
end)
