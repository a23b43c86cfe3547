#!/usr/bin/env bash
# Runs every test of the product: builds, then runs the .NET test projects of Teams.sln (unit tests, and
# integration tests that start their own Azurite and servers on free loopback ports), and ends with one
# summary line. Exits non-zero when anything fails.
set -euo pipefail
cd "$(dirname "$0")"
source .devtools/ensure.sh

ensure_prerequisites
ensure_node_packages .
ensure_chromium
ensure_dotnet_build

log=$(mktemp)
trap 'rm -f "$log"' EXIT
say "Running the .NET tests"
status=0
dotnet test Teams.sln --nologo --no-build -c "${CONFIGURATION:-Debug}" --logger "console;verbosity=minimal" 2>&1 \
  | tee "$log" || status=$?

# One closing line across every test assembly, added up from the runner's own per-assembly summaries.
read -r passed failed skipped assemblies < <(sed -n 's/^\(Passed\|Failed\)! *- Failed: *\([0-9]*\), Passed: *\([0-9]*\), Skipped: *\([0-9]*\).*/\2 \3 \4/p' "$log" \
  | awk '{f+=$1; p+=$2; s+=$3; n++} END {print p+0, f+0, s+0, n+0}')
expected=$(grep -c 'Tests.csproj"' Teams.sln)
if [ "$assemblies" -ne "$expected" ]; then
  echo "Only $assemblies of $expected test projects reported results: a test host did not finish." >&2
  status=1
fi
[ "$status" -eq 0 ] || [ "$failed" -gt 0 ] || failed=1
echo "Tests: $passed passed, $failed failed, $skipped skipped"
exit "$status"
