# Sourced by the HTTP benchmarks: the one request they send, and the server they send it to.

# require_load FACTS: the fact sets (bench/http-vs-nginx.sh makes them) and wrk are there.
require_load() {
  [ -f "$1" ] || { echo "no $1: run bench/http-vs-nginx.sh once first"; exit 1; }
  command -v wrk >/dev/null || apt-get install -y -q --no-install-recommends wrk
}

# write_evaluate_load DIR FACTS writes DIR/tokens (an admin token, also left in $token), DIR/body.json (the first fact set
# of FACTS as a POST /v1/evaluate body) and DIR/post.lua (wrk sends that body with the token).
# With KYC_BENCH_ACCOUNT=ID in the environment the body names that account, as a real backend's
# request does: the account store's look-ups are then on the path.
write_evaluate_load() {
  local dir=$1 facts=$2
  token=bench-admin-token-0000000001
  echo "sha256:$(printf %s "$token" | sha256sum | cut -d" " -f1) admin" > "$dir/tokens"  # the file keeps hashes
  if [ -n "${KYC_BENCH_ACCOUNT:-}" ]; then
    printf '{"account_id": "%s", "facts": %s}' "$KYC_BENCH_ACCOUNT" "$(head -1 "$facts")" > "$dir/body.json"
  else
    printf '{"facts": %s}' "$(head -1 "$facts")" > "$dir/body.json"
  fi
  cat > "$dir/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $token"
local f = io.open("$dir/body.json"); wrk.body = f:read("*a"); f:close()
LUA
}

# start_kycd KYC PORT DIR [SERVE_ARGS...]: `kyc serve` in the background on the benchmark
# policy ($peers/bench.policy), with DIR/tokens and DIR/var as its data; its pid in $kycd_pid.
# One token from one address sends far more than the default abuse limits allow: they are off
# (through the environment, so that SERVE_ARGS or the caller's KYCD_* may set them again, and
# an older binary without them ignores it).
start_kycd() {
  local kyc=$1 port=$2 dir=$3
  shift 3
  KYCD_TOKEN_RATE=${KYCD_TOKEN_RATE:-0} KYCD_ADDRESS_RATE=${KYCD_ADDRESS_RATE:-0} \
  KYCD_MAX_CONNECTIONS_PER_ADDRESS=${KYCD_MAX_CONNECTIONS_PER_ADDRESS:-0} \
  "$kyc" serve --listen "127.0.0.1:$port" --policy-dir "$peers" --policy-file bench.policy \
    --data-dir "$dir/var" --tokens "$dir/tokens" "$@" > "$dir/kycd.log" 2>&1 &
  kycd_pid=$!
}
