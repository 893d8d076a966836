-- 50 signed-in unit staff browse their own unit's pages (wrk -s browse.lua).
local data_dir = os.getenv("LOAD_DATA") or "var/load"
dofile(data_dir .. "/data.lua")
math.randomseed(os.time())

request = function()
  local s = sessions[math.random(#sessions)]
  local path = s.paths[math.random(#s.paths)]
  return wrk.format("GET", path, { ["Cookie"] = s.cookie, ["X-Real-IP"] = "10.1.0.1" })
end

dofile((os.getenv("LOAD_SCRIPTS") or "bench/load") .. "/report.lua")
