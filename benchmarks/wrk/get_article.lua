-- GET /v1/articles/$BENCH_ARTICLE with a bearer key from $BENCH_KEY.
local key = os.getenv("BENCH_KEY")
local path = "/v1/articles/" .. os.getenv("BENCH_ARTICLE")
request = function()
  return wrk.format("GET", path, {["Authorization"] = "Bearer " .. key})
end
