-- A Modbus/TCP poll loop: read two holding registers from unit 1 every
-- 100 ms, ten times, and check each answer. Frames are cut by the MBAP
-- header's length field (2 bytes, big-endian, at offset 4).
--
--   sockbench --headless --scenario modbus-poll.lua

-- The other side, so the scenario runs by itself: a device that answers
-- each request with registers 42 and 7.
local device = listen("tcp-listen://127.0.0.1:0", {frame = "len:2:be:4"})
local DEVICE = "tcp://" .. device:address()

local plc = connect(DEVICE, {frame = "len:2:be:4"})

-- Transaction id, protocol 0, length 6, unit 1, read holding registers
-- (3) from 0, 2 of them. ${seq:1} would count the transaction id up; this
-- keeps it fixed so the device below can answer with a constant.
local REQUEST = hex("00 01 00 00 00 06 01 03 00 00 00 02")
local ANSWER = hex("00 01 00 00 00 07 01 03 04 00 2a 00 07")

local function register(frame, n)
  local hi, lo = frame:byte(10 + 2 * n, 11 + 2 * n)
  return hi * 256 + lo
end

test("ten polls", function()
  for i = 1, 10 do
    plc:send(REQUEST)
    assert(device:expect(hex("01 03 00 00 00 02"), 1000))
    device:send(ANSWER, device:sender())
    local frame = assert(plc:expect(hex("01 03 04"), 1000))
    check(register(frame, 0) == 42, "register 0 is " .. register(frame, 0))
    check(register(frame, 1) == 7, "register 1 is " .. register(frame, 1))
    sleep(100)
  end
end)

test("an RTU frame's CRC", function()
  -- The same request as Modbus RTU: its CRC-16/MODBUS computed by a template.
  plc:send(tmpl("01 03 00 00 00 02 ${crc-16/modbus}", "hex"))
  local frame = assert(device:expect(hex("01 03 00 00 00 02 c4 0b"), 1000))
end)
