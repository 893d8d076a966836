-- 20 members of the public drop opinions into units' boxes (wrk -s submit.lua).
-- Each request comes from its own address (X-Real-IP, trusted behind nginx), so the box's
-- rate limit does not turn the load test into a test of the rate limit.
local data_dir = os.getenv("LOAD_DATA") or "var/load"
dofile(data_dir .. "/data.lua")
math.randomseed(os.time() + 7)
local token = "loadtestloadtestloadtestloadtest" -- a 32-character CSRF secret
local phrases = { "会议太多，陪会占用大量时间。", "文件层层转发，基层疲于应付。",
  "办事窗口服务态度需要改进。", "检查评比过多过频。", "希望领导多到基层调研。" }

request = function()
  local code = boxes[math.random(#boxes)]
  local body = "csrfmiddlewaretoken=" .. token .. "&text=" .. phrases[math.random(#phrases)]
    .. "&contact=&website="
  local ip = string.format("10.%d.%d.%d", math.random(0, 255), math.random(0, 255), math.random(1, 254))
  return wrk.format("POST", "/public/units/" .. code .. "/opinions/", {
    ["Cookie"] = "csrftoken=" .. token,
    ["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8",
    ["X-Real-IP"] = ip,
  }, body)
end

dofile((os.getenv("LOAD_SCRIPTS") or "bench/load") .. "/report.lua")
