#!/usr/bin/env bash
# How often the image reasons change when a photo is changed in ways that should not change
# them (or, where they should, that the physics explains): turned by 90 degrees, halved in
# size, encoded again at JPEG quality 50. Photos of the tuning families only
# (tests/fixtures/family_groups.h): the held-out families are not for looking at.
#
# Each photo and variant is read with `kyc analyze`; only the image adapter's facts go to
# `kyc eval` on the shipped policy, as in the accuracy test. Prints, per variant, how many
# verdicts changed and which. Needs python3 with OpenCV (Debian: python3-opencv).
#
# Usage: bench/verdict-invariance.sh BUILD_DIR [SEED] [PER_CLASS]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "$1" && pwd); seed=${2:-5150}; per_class=${3:-8}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
families=(saturated pastel_guilloche)
for family in "${families[@]}"; do
  "$build/tests/fixtures/kyc_make_fixtures" --seed "$seed" --per-class "$per_class" \
    --family "$family" --out "$work/orig/$family" > /dev/null
done

# The variants, and one line per photo: family, name, class, expected codes.
python3 - "$work" "${families[@]}" <<'PY'
import cv2, json, os, shutil, sys
work, families = sys.argv[1], sys.argv[2:]
with open(f"{work}/list.txt", "w") as listing:
    for family in families:
        for f in json.load(open(f"{work}/orig/{family}/expected.json"))["fixtures"]:
            if f["defect"] in ("wrong_format", "too_large"):
                continue  # not decoded: nothing to change
            image = cv2.imread(f"{work}/orig/{family}/{f['file']}")
            variants = {
                "rot90": (cv2.rotate(image, cv2.ROTATE_90_CLOCKWISE), 92),
                "half": (cv2.resize(image, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA), 92),
                "q50": (image, 50),
            }
            for name, (pixels, quality) in variants.items():
                os.makedirs(f"{work}/{name}/{family}", exist_ok=True)
                cv2.imwrite(f"{work}/{name}/{family}/{f['file']}", pixels,
                            [cv2.IMWRITE_JPEG_QUALITY, quality])
            listing.write(f"{family} {f['file']} {f['defect']} {','.join(f['expected_codes']) or '-'}\n")
PY

# The image reasons the shipped policy fires on one photo's image facts.
verdict() {
  "$build/cli/kyc" analyze "$1" 2> /dev/null | head -1 | python3 -c '
import json, sys
facts = json.loads(sys.stdin.readline())
kept = {k: v for k, v in facts.items() if k.startswith(("file.", "image.", "exif."))
        or k in ("document.detected", "document.cut_off", "document.fill")}
kept["today"] = "2026-01-01"
print(json.dumps(kept))' > "$work/facts.json"
  "$build/cli/kyc" eval --policy "$root/policies/kyc.policy" --facts "$work/facts.json" |
    python3 -c '
import json, sys
image = {"DOC_UNREADABLE", "IMAGE_POOR_LIGHTING", "DOC_INFO_INCOMPLETE", "DOC_NOT_ORIGINAL"}
codes = sorted(r["code"] for r in json.load(sys.stdin).get("reasons", []) if r["code"] in image)
print(",".join(codes) or "-")'
}

declare -A original
while read -r family file class expected; do
  original[$family/$file]=$(verdict "$work/orig/$family/$file")
done < "$work/list.txt"
total=$(wc -l < "$work/list.txt")
right=0
while read -r family file class expected; do
  [ "${original[$family/$file]}" = "$expected" ] && right=$((right + 1))
done < "$work/list.txt"
echo "seed $seed, $total photos: $right get exactly their expected image reasons"
for variant in rot90 half q50; do
  changed=0; variant_right=0; lines=""
  while read -r family file class expected; do
    got=$(verdict "$work/$variant/$family/$file")
    [ "$got" = "$expected" ] && variant_right=$((variant_right + 1))
    if [ "$got" != "${original[$family/$file]}" ]; then
      changed=$((changed + 1))
      lines+="  $family/$file ($class, expects $expected): ${original[$family/$file]} -> $got"$'\n'
    fi
  done < "$work/list.txt"
  echo "$variant: $changed of $total verdicts changed; $variant_right exactly right"
  printf '%s' "$lines"
done
