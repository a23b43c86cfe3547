#!/usr/bin/env bash
# Runs every test of the product: builds, then runs the .NET test projects of Teams.sln (unit tests, and
# integration tests that start their own Azurite and servers on free loopback ports), and ends with one
# summary line. Exits non-zero when anything fails.
#
#   ./test.sh          everything
#   ./test.sh --fast   only the tests that start no server or process (TestCategory!=Integration): the inner loop
set -euo pipefail
cd "$(dirname "$0")"
source .devtools/ensure.sh

fast=false
for arg in "$@"; do
  case "$arg" in
    --fast) fast=true ;;
    -h|--help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) fail "unknown option $arg (try --fast)" ;;
  esac
done

ensure_prerequisites
if ! $fast; then
  # Azurite, the Agents Playground and Chromium serve only the integration tests.
  ensure_node_packages .
  ensure_chromium
fi
ensure_dotnet_build

log=$(mktemp)
trap 'rm -f "$log"' EXIT
filter=()
if $fast; then
  say "Running the .NET tests that start no server (--fast)"
  filter=(--filter "TestCategory!=Integration")
else
  say "Running the .NET tests"
fi
status=0
dotnet test Teams.sln --nologo --no-build -c "${CONFIGURATION:-Debug}" --logger "console;verbosity=minimal" "${filter[@]}" 2>&1 \
  | tee "$log" || status=$?

# One closing line across every test assembly, added up from the runner's own per-assembly summaries.
read -r passed failed skipped assemblies < <(sed -n 's/^\(Passed\|Failed\)! *- Failed: *\([0-9]*\), Passed: *\([0-9]*\), Skipped: *\([0-9]*\).*/\2 \3 \4/p' "$log" \
  | awk '{f+=$1; p+=$2; s+=$3; n++} END {print p+0, f+0, s+0, n+0}')
# With --fast, a project whose tests are all integration tests has nothing to run and says so instead.
unfiltered=$(grep -c 'No test matches the given testcase filter' "$log" || true)
expected=$(grep -c 'Tests.csproj"' Teams.sln)
if [ $((assemblies + unfiltered)) -ne "$expected" ]; then
  echo "Only $((assemblies + unfiltered)) of $expected test projects finished: a test host did not finish." >&2
  status=1
fi
[ "$status" -eq 0 ] || [ "$failed" -gt 0 ] || failed=1
echo "Tests: $passed passed, $failed failed, $skipped skipped"
exit "$status"
