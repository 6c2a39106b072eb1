-- A dialogue with an AT-command device (a modem): AT, the signal quality,
-- the maker, each answered within 500 ms. Lines end with \r\n.
--
--   sockbench --headless --scenario at-commands.lua

-- The other side, so the scenario runs by itself: a small modem.
local modem = listen("tcp-listen://127.0.0.1:0", {frame = "line"})
local ANSWERS = {
  ["AT"] = "OK",
  ["AT+CSQ"] = "+CSQ: 23,99\r\n\r\nOK",
  ["AT+CGMI"] = "Sockbench\r\n\r\nOK",
}

local terminal = connect("tcp://" .. modem:address(), {frame = "line"})

-- Sends COMMAND and lets the modem answer it.
local function command(text)
  terminal:send(text .. "\r\n")
  local line = assert(modem:expect(text .. "\r\n", 500))
  local answer = ANSWERS[text] or "ERROR"
  modem:send("\r\n" .. answer .. "\r\n", modem:sender())
end

test("AT answers OK", function()
  command("AT")
  assert(terminal:expect("OK", 500))
end)

test("signal quality", function()
  command("AT+CSQ")
  local line, rssi, ber = assert(terminal:expect(re("\\+CSQ: (\\d+),(\\d+)"), 500))
  check(tonumber(rssi) >= 10, "the signal is weak: " .. rssi)
  log("rssi", rssi, "ber", ber)
  assert(terminal:expect("OK", 500))
end)

test("maker", function()
  command("AT+CGMI")
  assert(terminal:expect("Sockbench", 500))
  assert(terminal:expect("OK", 500))
end)

test("an unknown command is an error", function()
  command("AT+NOPE")
  assert(terminal:expect("ERROR", 500))
end)
