-- report.lua - wrk: an employee's incident report, the form's POST (issue
-- 11): signed in (the Cookie header), with the session's CSRF token and
-- a same-origin Origin, each request a new incident written durably.
--   CSRF=... ORIGIN=http://127.0.0.1:PORT wrk -s tests/bench/report.lua -H "Cookie: ..." URL
local csrf = os.getenv("CSRF") or ""
local origin = os.getenv("ORIGIN") or ""
local n = 0
request = function()
	n = n + 1
	local body = "csrf=" .. csrf ..
		"&title=Borttappad+mobiltelefon+" .. n ..
		"&category=lost_equipment&personal_data=unknown" ..
		"&description=Tappad+p%C3%A5+bussen+hem."
	return wrk.format("POST", nil, {
		["Content-Type"] = "application/x-www-form-urlencoded",
		["Origin"] = origin,
	}, body)
end
