-- POST /v1/articles with a bearer key from $BENCH_KEY, a distinct external_id per request (a new record each).
local key = os.getenv("BENCH_KEY")
local counter = 0
request = function()
  counter = counter + 1
  local body = '{"text": "Budget Passed\\nThe parliament passed the budget on Tuesday after a long debate.", '
    .. '"external_id": "wrk-' .. counter .. '"}'
  return wrk.format("POST", "/v1/articles",
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. key}, body)
end
