#!/usr/bin/env bash
# The API docs as CI checks them. 1) `mvn javadoc:aggregate` as the README says: doclint without its "missing" group,
# any error or warning fails (pom.xml). 2) The same javadoc run again with every doclint group, failing on any
# warning except a missing @param, @return or @throws tag (the style documents members in prose and uses those tags
# only where a file does): so every public type, member and enum constant has a comment. Step 2 runs javadoc itself
# on the plugin's option files because the plugin (3.11.2) drops the output of a run with 1,000 or more warnings.
#   scripts/javadoc-check.sh [-o]     (extra arguments go to mvn; the docs land in target/reports/apidocs)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$ROOT/scripts/find-jdk.sh"
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/jlens-javadoc.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
DOCS=$ROOT/target/reports/apidocs
strip() { sed -e 's/\x1b\[[0-9;]*m//g' -e "s|$ROOT/||g"; }

# -Ddebug=true keeps the plugin's options and packages files in $DOCS for step 2
if ! mvn -B -f "$ROOT/pom.xml" "$@" javadoc:aggregate -Ddebug=true >"$WORK/mvn.log" 2>&1; then
  strip <"$WORK/mvn.log" | grep -E 'error|warning|ERROR' | head -n 40 >&2
  echo "javadoc-check: FAILED at step 1 (mvn javadoc:aggregate): errors or warnings above" >&2
  exit 1
fi

sed -e 's/^-Xdoclint:.*/-Xdoclint:all/' "$DOCS/options" | awk -v out="'$WORK/html'" \
  'prev == "-d" { $0 = out } { print; prev = $0 }' >"$WORK/options"
if ! grep -qx -- '-Xdoclint:all' "$WORK/options"; then
  echo "javadoc-check: FAILED at step 2: the plugin's options file has no -Xdoclint line to replace" >&2
  exit 1
fi
if ! (cd "$DOCS" && "$JAVA_HOME/bin/javadoc" @"$WORK/options" @packages) >"$WORK/out.log" 2>"$WORK/err.log"; then
  strip <"$WORK/err.log" | grep -E ': error' | head -n 40 >&2
  echo "javadoc-check: FAILED at step 2 (javadoc with -Xdoclint:all): errors above" >&2
  exit 1
fi
tags=$(grep -cE ': warning: no (@param|@return|@throws)' "$WORK/err.log" || true)
if grep ': warning' "$WORK/err.log" | grep -vE ': warning: no (@param|@return|@throws)' >"$WORK/other.log"; then
  strip <"$WORK/other.log" >&2
  echo "javadoc-check: FAILED at step 2: $(wc -l <"$WORK/other.log") warnings above (a missing comment or a" \
       "doclint finding)" >&2
  exit 1
fi
echo "javadoc-check: OK: no errors or warnings ($tags missing @param/@return/@throws tags not counted);" \
     "docs in target/reports/apidocs" >&2
