-- The tutorial's TCP client as a scenario: connect, send a line, expect it
-- back, close. To run it against your own echo server, set SERVER to its
-- address ("tcp://192.0.2.10:7") and leave out the listen() below.
--
--   sockbench --headless --scenario tcp-echo-client.lua

-- The other side, so the scenario runs by itself: an echo server that the
-- engine answers with (no script code runs for it).
local echo = listen("tcp-listen://127.0.0.1:0", {echo = true})
local SERVER = "tcp://" .. echo:address()

local client = connect(SERVER, {frame = "line"})

test("the server echoes a line", function()
  send("hello, server\n")
  local line = assert(expect("hello, server", 2000))
  check(line == "hello, server\n", "the echo differs: " .. line)
end)

test("the server echoes UTF-8 text", function()
  send("您好，服务器！\n")
  assert(expect("您好", 2000))
end)

test("ten lines in a row", function()
  for i = 1, 10 do
    send("line " .. i .. "\n")
    assert(expect("line " .. i .. "\n", 2000))
  end
end)

close()
