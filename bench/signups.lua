-- wrk script: every request signs the call with a new address, as the page's script does.
local threads = 0

function setup(thread)
  thread:set("thread_id", threads)
  threads = threads + 1
end

function init(args)
  counter = 0
  prefix = string.format("bench-%d-%d", os.time(), thread_id)
end

function request()
  counter = counter + 1
  local body = "form[full_name]=Bench+Signer"
    .. "&form[email]=" .. prefix .. "-" .. counter .. "%40example.org"
    .. "&form[kind]=person&form[country]=NL&form[consent_version]=1"
  return wrk.format("POST", "/api/sign-the-call", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Accept"] = "application/json",
  }, body)
end
