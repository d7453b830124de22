#!/usr/bin/env bash
# The README's "Use it from Maven" as a new user meets it: installs this checkout's artifacts into a temporary local
# repository, builds a separate project from the README's pom.xml and Example.java, runs it with `mvn compile
# exec:exec` and compares what it prints with the README's output block. Extra arguments go to every mvn (e.g. -o).
#   scripts/consumer-check.sh [-o]          (CI: .ci/run after the test suite)
# Third-party artifacts come from the usual local repository (~/.m2/repository) through symlinks; dev/jlens in the
# temporary repository is a real folder, so the consumer sees only what this run installed, never a stale install.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$ROOT/scripts/find-jdk.sh"
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
M2=${JLENS_M2_REPO:-$HOME/.m2/repository}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/jlens-consumer.XXXXXX")
trap '[ -n "${JLENS_KEEP:-}" ] || rm -rf "$WORK"' EXIT
STEP=""
fail() {  # the step that failed, what went wrong, and the log that shows it
  echo "consumer-check: FAILED at step '$STEP': $1" >&2
  [ -n "${2:-}" ] && [ -f "$2" ] && sed 's/\x1b\[[0-9;]*m//g' "$2" | tail -n 40 >&2
  exit 1
}
T0=$(date +%s)
step() { STEP=$1; echo "consumer-check: [$(( $(date +%s) - T0 )) s] $STEP" >&2; }

step "temporary local repository"
REPO=$WORK/repo
mkdir -p "$REPO/dev/jlens" "$M2"
for entry in "$M2"/*; do
  [ -e "$entry" ] && [ "$(basename "$entry")" != dev ] && ln -s "$entry" "$REPO/"
done
for entry in "$M2"/dev/*; do
  [ -e "$entry" ] && [ "$(basename "$entry")" != jlens ] && ln -s "$entry" "$REPO/dev/"
done
MVN=(mvn -B -Dmaven.repo.local="$REPO" "$@")

step "install jlens into it (mvn install -pl model -am)"
"${MVN[@]}" -q -f "$ROOT/pom.xml" -DskipTests -pl model -am install >"$WORK/install.log" 2>&1 \
  || fail "mvn install of this checkout failed" "$WORK/install.log"
[ -f "$REPO/dev/jlens/jlens-model/0.1.0-SNAPSHOT/jlens-model-0.1.0-SNAPSHOT.jar" ] \
  || fail "jlens-model was not installed into $REPO" "$WORK/install.log"

step "extract pom.xml, Example.java and the expected output from README.md"
APP=$WORK/app
mkdir -p "$APP/src/main/java"
readme_block() {  # the n-th ``` block of language $1 (empty: a plain block) in README's "Use it from Maven"
  awk -v lang="$1" -v want="$2" '
    /^## / { inside = ($0 == "## Use it from Maven") }
    inside && /^```/ && !open { open = 1; n += ($0 == "```" lang); keep = ($0 == "```" lang && n == want); next }
    inside && /^```$/ && open { open = 0; keep = 0; next }
    keep { print }' "$ROOT/README.md"
}
readme_block xml 1 >"$APP/pom.xml"
readme_block java 1 >"$APP/src/main/java/Example.java"
readme_block "" 1 >"$WORK/expected.txt"
for f in "$APP/pom.xml" "$APP/src/main/java/Example.java" "$WORK/expected.txt"; do
  [ -s "$f" ] || fail "README.md's 'Use it from Maven' section has no block for $(basename "$f")"
done
grep -q '<artifactId>jlens-model</artifactId>' "$APP/pom.xml" \
  || fail "the README's pom.xml does not depend on jlens-model"

step "build and run the example (mvn -q compile exec:exec)"
start=$(date +%s)
"${MVN[@]}" -q -f "$APP/pom.xml" compile exec:exec >"$WORK/out.txt" 2>"$WORK/err.txt" \
  || { cat "$WORK/out.txt" >>"$WORK/err.txt"; fail "the example did not build or run" "$WORK/err.txt"; }
sed -i 's/\x1b\[[0-9;]*m//g' "$WORK/out.txt" "$WORK/err.txt"  # Maven's colour codes
echo "consumer-check: built and ran in $(( $(date +%s) - start )) s" >&2

step "compare its output with the README"
diff -u "$WORK/expected.txt" "$WORK/out.txt" >"$WORK/diff.txt" \
  || fail "the example printed something else than the README shows (--- README, +++ printed)" "$WORK/diff.txt"
if grep WARNING "$WORK/err.txt" | grep -v 'Using incubator modules' \
    >"$WORK/warnings.txt"; then
  fail "the example's JVM warned (the README's flags did not reach it)" "$WORK/warnings.txt"
fi
echo "consumer-check: OK (README pom.xml + Example.java against this checkout's artifacts)" >&2
