# Sourced by the HTTP benchmarks: the one request they send. write_evaluate_load DIR FACTS
# writes DIR/tokens (an admin token, also left in $token), DIR/body.json (the first fact set
# of FACTS as a POST /v1/evaluate body) and DIR/post.lua (wrk sends that body with the token).
write_evaluate_load() {
  local dir=$1 facts=$2
  token=bench-admin-token-0000000001
  echo "$token admin" > "$dir/tokens"
  printf '{"facts": %s}' "$(head -1 "$facts")" > "$dir/body.json"
  cat > "$dir/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $token"
local f = io.open("$dir/body.json"); wrk.body = f:read("*a"); f:close()
LUA
}
