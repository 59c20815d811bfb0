# Sourced by the HTTP benchmarks: the one request they send, and the server they send it to.

# require_load FACTS: the fact sets (bench/http-vs-nginx.sh makes them) and wrk are there.
require_load() {
  [ -f "$1" ] || { echo "no $1: run bench/http-vs-nginx.sh once first"; exit 1; }
  command -v wrk >/dev/null || apt-get install -y -q --no-install-recommends wrk
}

# write_evaluate_load DIR FACTS writes the two requests the HTTP benchmarks send, each as a
# body and a wrk script that posts it:
#  - DIR/post.lua (DIR/body.json): the first fact set of FACTS with an admin token (also left in
#    $token) and no account, every fact given: what the peers are compared on;
#  - DIR/account.lua (DIR/account.json): what a real backend sends: an evaluate-role token
#    ($backend_token), an account_id, and the facts without the ones the service owns
#    (account.*, primary.*, today): the account store's look-ups fill those, and the decision
#    links the document and counts the attempt. DIR/accounts.csv holds that account's primary
#    data (start_kycd imports it).
# DIR/tokens keeps both tokens as hashes.
write_evaluate_load() {
  local dir=$1 facts=$2
  token=bench-admin-token-0000000001
  backend_token=bench-backend-token-000000001
  {
    echo "sha256:$(printf %s "$token" | sha256sum | cut -d" " -f1) admin"
    echo "sha256:$(printf %s "$backend_token" | sha256sum | cut -d" " -f1) evaluate backend"
  } > "$dir/tokens"
  printf '{"facts": %s}' "$(head -1 "$facts")" > "$dir/body.json"
  head -1 "$facts" | python3 -c '
import json, sys
facts = json.load(sys.stdin)
for owned in ("account", "primary", "today"):
    facts.pop(owned, None)
json.dump({"account_id": "bench-account", "facts": facts}, open(sys.argv[1], "w"))
number = facts.get("document", {}).get("number", "X0000000")
with open(sys.argv[2], "w") as csv:
    csv.write("account_id,full_name,birth_date,country,document_type,document_number\n")
    csv.write("bench-account,JOHN SMITH,1990-01-01,DEU,passport,%s\n" % number)
' "$dir/account.json" "$dir/accounts.csv"
  wrk_script "$dir/post.lua" "$token" "$dir/body.json"
  wrk_script "$dir/account.lua" "$backend_token" "$dir/account.json"
}

# wrk_script FILE TOKEN BODY: a wrk script that POSTs BODY with TOKEN.
wrk_script() {
  cat > "$1" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $2"
local f = io.open("$3"); wrk.body = f:read("*a"); f:close()
LUA
}

# start_kycd KYC PORT DIR [SERVE_ARGS...]: `kyc serve` in the background on the benchmark
# policy ($peers/bench.policy), with DIR/tokens and DIR/var as its data (DIR/accounts.csv
# imported first); its pid in $kycd_pid. Returns once it answers /readyz (at most 30 s).
# One token from one address sends far more than the default abuse limits allow: they are off
# (through the environment, so that SERVE_ARGS or the caller's KYCD_* may set them again, and
# an older binary without them ignores it).
# KYC_BENCH_STORE, when set, is the --store both take (a postgresql:// database).
start_kycd() {
  local kyc=$1 port=$2 dir=$3
  shift 3
  local store=()
  [ -z "${KYC_BENCH_STORE:-}" ] || store=(--store "$KYC_BENCH_STORE")
  "$kyc" accounts import --data-dir "$dir/var" "${store[@]}" "$dir/accounts.csv" > /dev/null
  KYCD_TOKEN_RATE=${KYCD_TOKEN_RATE:-0} KYCD_ADDRESS_RATE=${KYCD_ADDRESS_RATE:-0} \
  KYCD_MAX_CONNECTIONS_PER_ADDRESS=${KYCD_MAX_CONNECTIONS_PER_ADDRESS:-0} \
  "$kyc" serve --listen "127.0.0.1:$port" --policy-dir "$peers" --policy-file bench.policy \
    --data-dir "$dir/var" "${store[@]}" --tokens "$dir/tokens" "$@" > "$dir/kycd.log" 2>&1 &
  kycd_pid=$!
  for _ in $(seq 300); do
    curl -sf "localhost:$port/readyz" > /dev/null && return 0
    sleep 0.1
  done
  echo "kyc serve did not become ready on port $port:"; cat "$dir/kycd.log"; return 1
}
