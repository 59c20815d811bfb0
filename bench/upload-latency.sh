#!/usr/bin/env bash
# Request-to-decision time of POST /v1/verifications with one 12 MP photo (the 4000x3000 JPEG
# of bench/image_speed, a shared passport specimen in a noisy scene) on a service with one
# image thread: N uploads one after another, timed by the client; p50 and p99, and the median
# of each stage the access log names (stages_ms).
# Usage: [BUILD=DIR] bench/upload-latency.sh [N] [KYC]   (N 30; BUILD build-release; KYC BUILD/cli/kyc)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-30}
build=${BUILD:-$root/build-release}
kyc=${2:-$build/cli/kyc}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
"$build/bench/image_speed" --write "$work/photo.jpg"
token=bench-upload-token-00000000001
echo "sha256:$(printf %s "$token" | sha256sum | cut -d" " -f1) evaluate" > "$work/tokens"
"$kyc" serve --listen 127.0.0.1:8099 --policy-dir "$root/policies" --data-dir "$work/var" \
  --tokens "$work/tokens" --image-threads 1 > "$work/kycd.log" 2>&1 &
for _ in $(seq 300); do curl -sf localhost:8099/readyz > /dev/null && break; sleep 0.1; done
python3 - "$n" "$work/photo.jpg" "$token" "$work/kycd.log" <<'PY'
import http.client, json, statistics, sys, time, uuid
n, photo, token, log = int(sys.argv[1]), open(sys.argv[2], "rb").read(), sys.argv[3], sys.argv[4]
boundary = uuid.uuid4().hex
def part(name, content_type, body, filename=None):
    head = 'Content-Disposition: form-data; name="%s"' % name
    if filename: head += '; filename="%s"' % filename
    return b"--%s\r\n%s\r\nContent-Type: %s\r\n\r\n" % (boundary.encode(), head.encode(),
                                                        content_type.encode()) + body + b"\r\n"
body = (part("metadata", "application/json",
             json.dumps({"account_id": "upload-bench", "document_type": "passport"}).encode())
        + part("front", "image/jpeg", photo, "front.jpg") + b"--%s--\r\n" % boundary.encode())
c = http.client.HTTPConnection("127.0.0.1", 8099, timeout=60)
times = []
for i in range(n + 1):
    t0 = time.perf_counter()
    c.request("POST", "/v1/verifications", body, {
        "Authorization": "Bearer " + token,
        "Content-Type": "multipart/form-data; boundary=" + boundary})
    r = c.getresponse(); answer = r.read()
    if r.status != 200: sys.exit("answer %d: %s" % (r.status, answer[:300]))
    if i: times.append((time.perf_counter() - t0) * 1000)  # the first one warms up
times.sort()
p = lambda q: times[min(len(times) - 1, int(q * len(times)))]
print("upload of a %.1f MB 12 MP JPEG, one image thread, %d requests: p50 %.0f ms, p99 %.0f ms"
      % (len(photo) / 1e6, n, p(0.5), p(0.99)))
stages = {}
for line in open(log):
    try: entry = json.loads(line)
    except ValueError: continue
    for stage, ms in entry.get("stages_ms", {}).items(): stages.setdefault(stage, []).append(ms)
for stage, values in stages.items():
    print("  %-28s median %6.1f ms" % (stage, statistics.median(values)))
PY
