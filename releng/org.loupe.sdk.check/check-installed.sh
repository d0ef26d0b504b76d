#!/bin/bash
# After the generated plug-in project is built (see pom.xml), the built product installs it from the
# project's update site with `loupe plugins install`, lists its analysis and runs it; then Ctrl+C on a
# long analysis of the product stops it: exit code 130, the reason said, nothing saved.
# Usage: check-installed.sh PRODUCT_DIR GENERATED_DIR WORK_DIR. Exits non-zero at the first failed check.
set -euo pipefail
L="$1/loupe"
SITE="$2/org.example.generated.site/target/repository"
WORK="$3"
rm -rf "$WORK"
mkdir -p "$WORK"
export LOUPE_PLUGINS="$WORK/plugins" LOUPE_WORKSPACE="$WORK/workspace"

fail() { echo "FAIL: $*"; echo "--- output:"; cat "$WORK/out"; exit 1; }
run() { set +e; "$L" "$@" >"$WORK/out" 2>&1; rc=$?; set -e; }
expect() { # expect CODE TEXT...: the last command's exit code and fragments of its output
  local code=$1; shift
  [ "$rc" = "$code" ] || fail "exit code $rc, expected $code"
  for f in "$@"; do grep -qF -- "$f" "$WORK/out" || fail "'$f' not in the output"; done
}

echo "== loupe plugins install (the generated plug-in's update site)"
run plugins install "$SITE"
expect 0 "Installed Generated check" "(org.example.generated.feature)" "1 analysis, 1 result type, 1 result view"
run list
expect 0 "org.example.generated.meanActivation"
run run org.example.generated.meanActivation --model demo-cnn --layer relu2 --image noise:count=4 --out "$WORK/means"
expect 0
[ -f "$WORK/means/run.json" ] || fail "no run.json in $WORK/means"
echo "ok: installed, listed and run"

echo "== Ctrl+C on a long analysis"
set -m   # background jobs of a script ignore SIGINT unless job control is on
"$L" run featureviz --model demo-cnn --layer relu3 --unit 0 --param steps=10000 --out "$WORK/cancelled" \
    --runs "$WORK/runs" >"$WORK/out" 2>&1 &
pid=$!
set +m
for _ in $(seq 1 120); do grep -q "Visualizing relu3:0" "$WORK/out" && break; sleep 0.5; done
grep -q "Visualizing relu3:0" "$WORK/out" || { kill -9 "$pid"; fail "the visualization did not start within 60 s"; }
kill -INT "$pid"
set +e; wait "$pid"; rc=$?; set -e
expect 130 "loupe: cancelled: Feature visualization was interrupted (Ctrl+C); nothing was saved"
[ ! -e "$WORK/cancelled" ] || fail "the cancelled run wrote $WORK/cancelled"
[ -z "$(ls -A "$WORK/runs" 2>/dev/null)" ] || fail "the cancelled run was saved in $WORK/runs"
echo "ok: exit 130, nothing saved"
