#!/usr/bin/env bash
# Sets everything up, starts the VB365 simulator, and serves the app with trunk, which
# forwards /v6/ to the simulator as a reverse proxy would to a real VB365 server.
# Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
source scripts/env.sh

# Ports on 127.0.0.1. DEMO_APP_PORT, DEMO_SIMULATOR_HTTP_PORT and DEMO_SIMULATOR_HTTPS_PORT
# change them, for example to run beside a demo that already uses the defaults.
app_port=${DEMO_APP_PORT:-8080}
sim_http=${DEMO_SIMULATOR_HTTP_PORT:-4080}
sim_https=${DEMO_SIMULATOR_HTTPS_PORT:-4443}
for port in $sim_http $sim_https $app_port; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "Port $port on 127.0.0.1 is in use. Stop what listens there (an earlier demo?) and run this again, or choose other ports with DEMO_APP_PORT, DEMO_SIMULATOR_HTTP_PORT and DEMO_SIMULATOR_HTTPS_PORT." >&2
    exit 1
  fi
done

cargo build -p vb365-simulator --quiet
log_dir=$(mktemp -d)
target/debug/vb365-simulator --http-port $sim_http --https-port $sim_https --restore-delay-ms 4000 \
  >"$log_dir/simulator.out" 2>"$log_dir/simulator.log" &
simulator=$!
trap 'kill $simulator 2>/dev/null || true' EXIT

for _ in $(seq 1 100); do
  grep -q 'listening on https' "$log_dir/simulator.out" 2>/dev/null && break
  kill -0 $simulator 2>/dev/null || { cat "$log_dir/simulator.log" >&2; exit 1; }
  sleep 0.1
done

session=1f0e6a52-7c3d-4c1e-9a57-3c2b8d4e0a01
token=$(curl -fsS "http://127.0.0.1:$sim_http/v6/token" \
  -d 'grant_type=password&username=administrator&password=Restore-Demo-1' |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
samples=$(curl -fsS -H "Authorization: Bearer $token" \
  "http://127.0.0.1:$sim_http/v6/RestoreSessions/$session/organization/mailboxes?offset=0&limit=10" |
  python3 -c '
import json, sys
outcome = {3: "completes with warnings", 6: "some items fail", 9: "cannot continue"}
for index, mailbox in enumerate(json.load(sys.stdin)["results"]):
    if index in (0, 3, 6, 9):
        line = "    {}  {}: {}".format(mailbox["id"], mailbox["name"], outcome.get(index, "succeeds"))
        print(line)
')

cat <<INFO

  Mailbox restore demo
  ────────────────────
  Open            http://127.0.0.1:$app_port/   (the first build takes several minutes on 2 cores)
  Sign in         administrator / Restore-Demo-1
  Restore session $session  (Contoso Ltd.)
  Mailboxes
$samples
  Microsoft 365   admin@contoso.onmicrosoft.com / M365-Demo-1
  Device code     any application GUID; the simulator signs the code in after 10 s
  Certificate     any PFX with its password, for example:
                    openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem -subj /CN=app
                    openssl pkcs12 -export -inkey key.pem -in cert.pem -out app.pfx -passout pass:secret
  Simulator log   $log_dir/simulator.log

INFO

# The proxy in Trunk.toml forwards /v6/ to the simulator's default HTTPS port 4443. For another
# port, trunk reads a copy of Trunk.toml with that port, because a second proxy on /v6/ given on
# the command line would conflict with the first. trunk starts cargo in the copy's dir, so the
# copy lives under target/, where cargo still finds .cargo/config.toml and its rustflags. The
# build target and dist dir are given as absolute paths, because trunk resolves relative ones
# against the copy's dir.
if [ "$sim_https" = 4443 ]; then
  trunk serve --port "$app_port"
else
  trunk_config=target/demo/Trunk.toml
  mkdir -p "$(dirname "$trunk_config")"
  sed "s|https://127.0.0.1:4443/v6/|https://127.0.0.1:$sim_https/v6/|" Trunk.toml >"$trunk_config"
  if ! grep -q "https://127.0.0.1:$sim_https/v6/" "$trunk_config"; then
    echo "Proxy backend https://127.0.0.1:4443/v6/ not found in Trunk.toml, so DEMO_SIMULATOR_HTTPS_PORT cannot apply. Update the sed command in scripts/demo.sh." >&2
    exit 1
  fi
  trunk --config "$trunk_config" serve "$PWD/index.html" --dist "$PWD/dist" --port "$app_port"
fi
