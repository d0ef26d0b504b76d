#!/bin/bash
# End-to-end check of plug-in management against the built product and update site (run after ./mvnw verify):
#  1. a copy of the product without the SDK feature's bundles installs org.loupe.sdk.feature from the update site
#     (releng/org.loupe.repository/target/repository, as Tycho wrote it), and `loupe list` then shows its analysis;
#  2. a plug-in jar (a plugin.xml declaring the example's analysis class under a new id) is installed, run,
#     disabled, enabled and uninstalled, each checked with `loupe list`;
#  3. the state survives restarts (every `loupe` call is a new process on the same plug-in folder).
# Prints each step; exits non-zero at the first failed check. Usage: releng/org.loupe.repository/check-plugins-e2e.sh
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
PRODUCT="$ROOT/releng/org.loupe.product/target/products/org.loupe.product/linux/gtk/x86_64/loupe"
SITE="$ROOT/releng/org.loupe.repository/target/repository"
[ -x "$PRODUCT/loupe" ] || { echo "no product at $PRODUCT: build it first (./mvnw verify)" >&2; exit 1; }
[ -f "$SITE/content.jar" ] || { echo "no update site at $SITE: build it first (./mvnw verify)" >&2; exit 1; }
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cp -a "$PRODUCT" "$WORK/loupe"
# the copy lacks the SDK feature: its bundles leave plugins/ and config.ini
rm "$WORK"/loupe/plugins/org.loupe.example.analysis_*.jar "$WORK"/loupe/plugins/org.loupe.example.analysis.ui_*.jar
sed -i -E 's/reference\\:file\\:org\.loupe\.example\.analysis(\.ui)?_[^,]*,//g' "$WORK/loupe/configuration/config.ini"
export LOUPE_PLUGINS="$WORK/plugins" LOUPE_WORKSPACE="$WORK/workspace"
L="$WORK/loupe/loupe"

step() { echo; echo "== $*"; }
expect() { # expect CODE TEXT... : the last command's exit code and fragments of its output
  local code=$1; shift
  [ "$rc" = "$code" ] || { echo "FAIL: exit code $rc, expected $code; output:"; cat "$WORK/out"; exit 1; }
  for f in "$@"; do grep -qF -- "$f" "$WORK/out" || { echo "FAIL: '$f' not in:"; cat "$WORK/out"; exit 1; }; done
  echo "ok (exit $rc)"
}
lacks() { if grep -qF -- "$1" "$WORK/out"; then echo "FAIL: '$1' still in:"; cat "$WORK/out"; exit 1; fi; echo "ok: no '$1'"; }
run() { set +e; "$L" "$@" >"$WORK/out" 2>&1; rc=$?; set -e; cat "$WORK/out" | head -n 40; }

step "loupe list without the SDK feature"
run list; expect 0 "Analyses:"; lacks "org.loupe.example.activationStats"
step "loupe plugins install <site>: the SDK feature is the one plug-in on the site this copy lacks"
run plugins install "$SITE"
if [ "$rc" = 0 ]; then
  expect 0 "Installed Loupe SDK" "(org.loupe.sdk.feature)"
else
  expect 2 "Choose one with --plugin ID"
  step "loupe plugins install <site> --plugin org.loupe.sdk.feature"
  run plugins install "$SITE" --plugin org.loupe.sdk.feature; expect 0 "Installed Loupe SDK" "(org.loupe.sdk.feature)"
fi
step "loupe list shows the example analysis (a new process: the plug-in is started at start-up)"
run list; expect 0 "org.loupe.example.activationStats"
step "loupe plugins list"
run plugins list; expect 0 "org.loupe.sdk.feature 0.1.0" "(installed, enabled): Loupe SDK" "analyses: org.loupe.example.activationStats" \
    "result types: org.loupe.example.unitProfile" "org.loupe.analysis.basic 0.1.0" "(built-in, enabled)"
step "the installed analysis runs"
run run org.loupe.example.activationStats --model seq-cnn-seeded --layer relu1 --image noise:count=4,size=32 --out "$WORK/run1"
expect 0 "done in"
step "installing it again"
run plugins install "$SITE" --plugin org.loupe.sdk.feature; expect 2 "org.loupe.sdk.feature 0.1.0" "is already installed"

step "a plug-in jar"
mkdir -p "$WORK/jar/META-INF"
cat > "$WORK/jar/META-INF/MANIFEST.MF" <<MF
Manifest-Version: 1.0
Bundle-ManifestVersion: 2
Bundle-SymbolicName: org.loupe.e2e.stats;singleton:=true
Bundle-Version: 1.0.0
Bundle-Name: Statistics again (e2e)
Require-Bundle: org.loupe.core,org.loupe.example.analysis
MF
cat > "$WORK/jar/plugin.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<?eclipse version="3.4"?>
<plugin>
  <extension point="org.loupe.core.analyses">
    <analysis id="org.loupe.e2e.stats" command="e2e-stats" name="Statistics again" category="Test" appliesTo="conv,vector,logits"
        requires="hookable" class="org.loupe.example.analysis.ActivationStatistics" description="installed from a jar"/>
  </extension>
</plugin>
XML
(cd "$WORK/jar" && jar --create --file "$WORK/e2e.jar" --manifest META-INF/MANIFEST.MF plugin.xml)
run plugins install "$WORK/e2e.jar"; expect 0 "Installed Statistics again (e2e) 1.0.0 (org.loupe.e2e.stats), which contributes 1 analysis"
run list; expect 0 "org.loupe.e2e.stats"
run run e2e-stats --model seq-cnn-seeded --layer relu1 --image noise:count=4,size=32 --out "$WORK/run2"; expect 0 "done in"
step "disable: hidden, also after a restart"
run plugins disable org.loupe.e2e.stats; expect 0 "hidden now"
run list; expect 0 "Analyses:"; lacks "org.loupe.e2e.stats"
run plugins list; expect 0 "org.loupe.e2e.stats 1.0.0 (installed, disabled)"
step "enable"
run plugins enable org.loupe.e2e.stats; expect 0 "available now"
run list; expect 0 "org.loupe.e2e.stats"
step "uninstall"
run plugins uninstall org.loupe.e2e.stats; expect 0 "Uninstalled Statistics again (e2e)"
run list; expect 0 "Analyses:"; lacks "org.loupe.e2e.stats"
run plugins uninstall org.loupe.e2e.stats; expect 2 "There is no plug-in 'org.loupe.e2e.stats'"
step "a built-in plug-in: disabled, not uninstalled"
run plugins disable org.loupe.analysis.basic; expect 0 "built-in plug-ins stay installed"
run list; expect 0 "Analyses:"; lacks "org.loupe.analysis.prediction"
run plugins uninstall org.loupe.analysis.basic; expect 2 "cannot be uninstalled; disable it instead"
run plugins enable org.loupe.analysis.basic; expect 0 "available now"
run list; expect 0 "org.loupe.analysis.prediction"
step "uninstall the SDK feature"
run plugins uninstall org.loupe.sdk.feature; expect 0 "Uninstalled Loupe SDK"
run list; expect 0 "Analyses:"; lacks "org.loupe.example.activationStats"
echo; echo "ALL PLUG-IN CHECKS PASSED"
