-- wrk script: every request signs the call with a new address, as the page's script does.
-- INVALID_SHARE (0 to 1, default 0) of them send an address that is not one (answered 422).
local threads = 0

function setup(thread)
  thread:set("thread_id", threads)
  threads = threads + 1
end

function init(args)
  counter = 0
  prefix = string.format("bench-%d-%d", os.time(), thread_id)
  invalid_share = tonumber(os.getenv("INVALID_SHARE") or "0") or 0
  math.randomseed(os.time() + thread_id)
end

function request()
  counter = counter + 1
  local email = prefix .. "-" .. counter .. "%40example.org"
  if math.random() < invalid_share then
    email = prefix .. "-" .. counter .. "-not-an-address"
  end
  local body = "form[full_name]=Bench+Signer"
    .. "&form[email]=" .. email
    .. "&form[kind]=person&form[country]=NL&form[consent_version]=1"
  return wrk.format("POST", "/api/sign-the-call", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Accept"] = "application/json",
  }, body)
end
