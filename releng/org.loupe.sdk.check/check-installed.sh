#!/bin/bash
# After the generated plug-in project is built (see pom.xml), the built product installs it from the
# project's update site with `loupe plugins install`, lists its analysis and runs it, checks that a start
# on another plug-in folder does not offer it (and the next start on its own does); then Ctrl+C on a
# long analysis of the product stops it: exit code 130, the reason said, nothing saved.
# Usage: check-installed.sh PRODUCT_DIR GENERATED_DIR WORK_DIR. Exits non-zero at the first failed check.
set -euo pipefail
SITE="$2/org.example.generated.site/target/repository"
WORK="$3"
rm -rf "$WORK"
mkdir -p "$WORK"
# A copy of the product without the framework's cache of earlier starts (configuration/org.eclipse.*),
# so the built product is left as it was and the check starts clean every time.
cp -a "$1" "$WORK/loupe"
rm -rf "$WORK"/loupe/configuration/org.eclipse.*
L="$WORK/loupe/loupe"
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

echo "== another plug-in folder does not see it"
LOUPE_PLUGINS="$WORK/other-plugins" run list
expect 0 "featureviz"
! grep -qF "org.example.generated.meanActivation" "$WORK/out" || fail "a start on another plug-in folder still offers the plug-in's analysis"
run list
expect 0 "org.example.generated.meanActivation"
echo "ok: only its own folder's start offers it"

echo "== Ctrl+C on a long analysis"
# A background job of a script, and anything started under a parent that ignores SIGINT, inherits
# SIGINT ignored, and the JVM then never sees Ctrl+C: env restores the default before Loupe starts.
env --default-signal=INT "$L" run featureviz --model demo-cnn --layer relu3 --unit 0 --param steps=10000 \
    --out "$WORK/cancelled" --runs "$WORK/runs" >"$WORK/out" 2>&1 &
pid=$!
for _ in $(seq 1 120); do grep -q "Visualizing relu3:0" "$WORK/out" && break; sleep 0.5; done
grep -q "Visualizing relu3:0" "$WORK/out" || { kill -9 "$pid"; fail "the visualization did not start within 60 s"; }
kill -INT "$pid"
for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid"; fail "the analysis still ran 30 s after Ctrl+C"; fi
set +e; wait "$pid"; rc=$?; set -e
expect 130 "loupe: cancelled: Feature visualization was interrupted (Ctrl+C); nothing was saved"
[ ! -e "$WORK/cancelled" ] || fail "the cancelled run wrote $WORK/cancelled"
[ -z "$(ls -A "$WORK/runs" 2>/dev/null)" ] || fail "the cancelled run was saved in $WORK/runs"
echo "ok: exit 130, nothing saved"
