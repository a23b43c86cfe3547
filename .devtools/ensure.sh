# Shared by run.sh and test.sh: installs what a fresh Debian machine with the .NET 10 SDK and Node 20 lacks.
# Sourced, not run. Each step is skipped when its result is already there, so a second run is fast.

export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export NUGET_CERT_REVOCATION_MODE="${NUGET_CERT_REVOCATION_MODE:-offline}"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
fail() { printf '\033[31mError: %s\033[0m\n' "$*" >&2; exit 1; }

ensure_prerequisites() {
  command -v dotnet >/dev/null || fail "the .NET 10 SDK is needed: https://learn.microsoft.com/dotnet/core/install/linux-debian"
  command -v node >/dev/null && command -v npm >/dev/null || fail "Node.js 20 and npm are needed: https://nodejs.org"
  local node_major
  node_major=$(node -p 'process.versions.node.split(".")[0]')
  [ "$node_major" -ge 20 ] || fail "Node.js 20 or later is needed (found $(node --version))."
}

# npm ci when node_modules is missing or was installed from another package-lock.json.
ensure_node_packages() {
  local dir="${1:-.}" stamp want
  stamp="$dir/node_modules/.installed-from-lock"
  want=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    say "Installing npm packages in $dir (npm ci)"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) || fail "npm ci failed in $dir"
    echo "$want" > "$stamp"
  fi
}

ensure_dotnet_build() {
  say "Restoring and building Teams.sln"
  dotnet build Teams.sln --nologo -v quiet -clp:NoSummary -c "${CONFIGURATION:-Debug}" || fail "the build failed"
}

# Debian's Chromium, for tests that drive the tab and the Agents Playground in a real browser.
ensure_chromium() {
  if ! command -v chromium >/dev/null; then
    say "Installing Chromium (apt-get)"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
      || fail "could not install chromium with apt-get"
  fi
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_for_port() {
  local port=$1 name=$2 seconds=${3:-60}
  for _ in $(seq 1 $((seconds * 10))); do
    port_in_use "$port" && return 0
    sleep 0.1
  done
  fail "$name did not start listening on port $port within ${seconds}s"
}
