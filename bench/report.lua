-- report.lua - wrk: an employee's incident report, the form's POST (issue
-- 11): signed in (the Cookie header given with -H), with the session's
-- CSRF token and a same-origin Origin, each request a new incident
-- written durably.
--   CSRF=... ORIGIN=http://127.0.0.1:PORT wrk -s bench/report.lua -H "Cookie: ..." URL
local csrf = os.getenv("CSRF") or ""
local n = 0
wrk.method = "POST"
-- added to the -H headers (a table given to wrk.format would replace them)
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Origin"] = os.getenv("ORIGIN") or ""
request = function()
	n = n + 1
	local body = "csrf=" .. csrf ..
		"&title=Borttappad+mobiltelefon+" .. n ..
		"&category=lost_equipment&personal_data=unknown" ..
		"&description=Tappad+p%C3%A5+bussen+hem."
	return wrk.format(nil, nil, nil, body)
end
