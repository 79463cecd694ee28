#!/usr/bin/env bash
# Measures the set-up cost on a simulated new machine: the README's two commands,
# scripts/demo.sh and scripts/test.sh, each in a fresh clone, then rebuilds after a one-line
# change. Each step gets its wall time and the user and system CPU time of every process it
# started, because CPU time varies less than wall time when other jobs share the machine.
#
# The new machine is a Debian 12 (bookworm) root made with debootstrap. Before anything of the
# project runs, the script copies into it what a new machine of this project's kind has. That is
# the Rust toolchain managed by rustup, without the wasm32-unknown-unknown target and with an
# empty cargo registry, and Node.js 20 with npm. It also installs the Debian packages of
# bench/new-machine-debian-packages.txt that scripts/setup.sh's packages pull in. The commands
# run in that root with chroot, so nothing they install changes this machine's own tools. The
# root shares this machine's network, so the demo uses ports of its own (SETUP_COST_PORTS).
#
# Usage: bash bench/setup-cost.sh [--keep]
#   --keep  keeps the root after the run, to look around in it or to run commands in it again
# Runs as root, on Debian or a derivative with apt, and takes over an hour on 2 cores. It
# measures the last commit (HEAD), not uncommitted changes. It prints the figures and writes
# them to $SETUP_COST_DIR/results/results.md, with the logs of every step beside them.
#
# Environment:
#   SETUP_COST_DIR    work dir for the root, logs and results (default /tmp/vb365-setup-cost)
#   SETUP_COST_PORTS  the demo's app, simulator HTTP and simulator HTTPS ports, separated by
#                     spaces (default "18080 14080 14443", apart from scripts/demo.sh's defaults
#                     so that a demo already running on this machine is left alone)
set -euo pipefail

# Bash 5's $EPOCHREALTIME, in seconds with microseconds.
now() { printf '%s' "$EPOCHREALTIME"; }

# Prefixes each line of standard input with the seconds since $stamp_start. Plain bash
# arithmetic, because a process per line would add to the CPU time measured.
stamp() {
  local line start=${stamp_start/./} elapsed
  while IFS= read -r line; do
    elapsed=$((${EPOCHREALTIME/./} - start))
    printf '%6d.%d %s\n' $((elapsed / 1000000)) $((elapsed / 100000 % 10)) "$line"
  done
}

# Prints the user and system CPU seconds of every process in the cgroup $SETUP_COST_CGROUP so
# far, cgroup v1 (cpuacct) or v2.
cpu_seconds() {
  if [ -f "$SETUP_COST_CGROUP/cpuacct.usage_user" ]; then
    awk 'FNR == 1 { value[NR] = $1 } END { printf "%.2f %.2f\n", value[1] / 1e9, value[2] / 1e9 }' \
      "$SETUP_COST_CGROUP/cpuacct.usage_user" "$SETUP_COST_CGROUP/cpuacct.usage_sys"
  else
    awk '$1 == "user_usec" { user = $2 } $1 == "system_usec" { system = $2 }
      END { printf "%.2f %.2f\n", user / 1e6, system / 1e6 }' "$SETUP_COST_CGROUP/cpu.stat"
  fi
}

load_average() { cut -d' ' -f1-3 /proc/loadavg; }

# ---------------------------------------------------------------------------------------------
# Inside the root: the measured steps. The outer part below runs this with --inside.
# ---------------------------------------------------------------------------------------------

# Appends one row to steps.tsv: the step, wall seconds, user and system CPU seconds, the load
# averages before and after, the exit status and a note.
record_step() {
  printf '%s\t%.1f\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >> "$results/steps.tsv"
}

# Runs a command in a dir, logs its output with time stamps to $results/LOG.log and records it.
# Arguments: step name, log name, dir, note, then the command.
timed_step() {
  local name=$1 log=$2 dir=$3 note=$4 status
  shift 4
  echo "[setup-cost] $name" >&2
  local load_before start
  load_before=$(load_average)
  read -r user_before system_before < <(cpu_seconds)
  start=$(now)
  stamp_start=$start
  set +e
  (cd "$dir" && "$@") 2>&1 | stamp > "$results/$log.log"
  status=${PIPESTATUS[0]}
  set -e
  local wall user_after system_after
  wall=$(awk -v start="$start" -v end="$(now)" 'BEGIN { print end - start }')
  read -r user_after system_after < <(cpu_seconds)
  record_step "$name" "$wall" "$(awk -v a="$user_before" -v b="$user_after" 'BEGIN { printf "%.1f", b - a }')" \
    "$(awk -v a="$system_before" -v b="$system_after" 'BEGIN { printf "%.1f", b - a }')" \
    "$load_before" "$(load_average)" "$status" "$note"
  [ "$status" -eq 0 ] || echo "[setup-cost] $name failed with exit status $status; see $log.log" >&2
}

# Runs scripts/demo.sh in the background and records two rows: until it prints its banner, and
# until trunk serves the app, which follows the first build of the app. Then stops the demo.
measure_demo() {
  local dir=/work/demo log=$results/demo.log
  local app_port sim_http_port sim_https_port
  read -r app_port sim_http_port sim_https_port <<< "$SETUP_COST_PORTS"
  echo "[setup-cost] scripts/demo.sh" >&2

  local load_before start
  load_before=$(load_average)
  read -r user_before system_before < <(cpu_seconds)
  start=$(now)
  stamp_start=$start
  # setsid makes the demo a process group of its own, so one signal reaches the demo, the
  # simulator and trunk, as Ctrl-C would.
  (cd "$dir" && DEMO_APP_PORT=$app_port DEMO_SIMULATOR_HTTP_PORT=$sim_http_port \
    DEMO_SIMULATOR_HTTPS_PORT=$sim_https_port exec setsid scripts/demo.sh) > >(stamp > "$log") 2>&1 &
  local demo=$!

  local banner_done=false served=false deadline
  deadline=$(awk -v start="$start" 'BEGIN { print start + 90 * 60 }')
  while :; do
    if [ "$banner_done" = false ] && grep -qs 'Mailbox restore demo' "$log"; then
      banner_done=true
      local wall
      wall=$(awk -v start="$start" -v end="$(now)" 'BEGIN { print end - start }')
      read -r user system < <(cpu_seconds)
      record_step "scripts/demo.sh until its banner" "$wall" \
        "$(awk -v a="$user_before" -v b="$user" 'BEGIN { printf "%.1f", b - a }')" \
        "$(awk -v a="$system_before" -v b="$system" 'BEGIN { printf "%.1f", b - a }')" \
        "$load_before" "$(load_average)" 0 "setup.sh installs, simulator build"
    fi
    if [ "$banner_done" = true ] &&
      [[ "$(curl -fsS --max-time 5 "http://127.0.0.1:$app_port/" 2>/dev/null)" == *_bg.wasm* ]]; then
      served=true
      break
    fi
    if ! kill -0 "$demo" 2>/dev/null; then
      echo "[setup-cost] scripts/demo.sh ended before it served the app; see demo.log" >&2
      break
    fi
    if awk -v deadline="$deadline" -v now="$(now)" 'BEGIN { exit !(now > deadline) }'; then
      echo "[setup-cost] scripts/demo.sh did not serve the app within 90 minutes" >&2
      break
    fi
    sleep 1
  done

  local wall note status=1
  wall=$(awk -v start="$start" -v end="$(now)" 'BEGIN { print end - start }')
  read -r user system < <(cpu_seconds)
  if [ "$served" = true ]; then
    # Checks that the page works as a user's browser would load it: the .wasm file, and the
    # sign-in through trunk's proxy to the simulator's HTTPS port.
    local page wasm token
    page=$(curl -fsS "http://127.0.0.1:$app_port/")
    wasm=$(grep -o '[^"/]*_bg\.wasm' <<< "$page" | head -1)
    token=$(curl -fsS "http://127.0.0.1:$app_port/v6/token" \
      -d 'grant_type=password&username=administrator&password=Restore-Demo-1' || true)
    if curl -fsS -o /dev/null "http://127.0.0.1:$app_port/$wasm" && [[ "$token" == *access_token* ]]; then
      status=0
      note="first dev build of the app; the page, its .wasm and the sign-in through the proxy answered"
    else
      note="trunk served the page, but its .wasm or the sign-in through the proxy failed"
    fi
  else
    note="the app was not served; see demo.log"
  fi
  record_step "scripts/demo.sh until the app is served" "$wall" \
    "$(awk -v a="$user_before" -v b="$user" 'BEGIN { printf "%.1f", b - a }')" \
    "$(awk -v a="$system_before" -v b="$system" 'BEGIN { printf "%.1f", b - a }')" \
    "$load_before" "$(load_average)" "$status" "$note"

  kill -INT -- "-$demo" 2>/dev/null || true
  for _ in $(seq 1 30); do
    kill -0 "$demo" 2>/dev/null || break
    sleep 1
  done
  kill -KILL -- "-$demo" 2>/dev/null || true
  wait "$demo" 2>/dev/null || true
}

# Changes one string in the sign-in form of the clone in $1.
edit_component() {
  local file=$1/src/components/sign_in.rs
  sed -i '0,/hint="/s//hint="Changed by bench\/setup-cost.sh. /' "$file"
  if git -C "$1" diff --quiet -- src/components/sign_in.rs; then
    echo "No hint=\"...\" string found in $file. Choose another string in edit_component in bench/setup-cost.sh." >&2
    exit 1
  fi
}

run_inside() {
  results=/root/setup-cost/results
  mkdir -p "$results"
  printf 'step\twall_s\tuser_s\tsystem_s\tload_before\tload_after\tstatus\tnote\n' > "$results/steps.tsv"
  {
    echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "cpu: $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), $(nproc) cores"
    echo "memory: $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1024 / 1024 }' /proc/meminfo)"
    echo "commit: $(git -C /work/demo log -1 --format='%h %s')"
    echo "rustc: $(rustc --version)"
    echo "node: $(node --version), npm $(npm --version)"
    echo "python3: $(python3 --version)"
    echo "git: $(git --version)"
    echo "uptime at the start: $(uptime)"
  } > "$results/machine.txt"

  measure_demo

  timed_step "scripts/test.sh" test /work/test \
    "second fresh clone; the tools that the demo installed are there" scripts/test.sh

  edit_component /work/test
  timed_step "trunk build --release after a one-line change" rebuild-release /work/test \
    "one string in src/components/sign_in.rs, after scripts/test.sh's release build" \
    bash -c 'source scripts/env.sh && trunk build --release'

  edit_component /work/demo
  timed_step "trunk build after a one-line change" rebuild-dev /work/demo \
    "one string in src/components/sign_in.rs, after the demo's dev build" \
    bash -c 'source scripts/env.sh && trunk build'

  timed_step "cargo test -p restore-core, nothing changed" core-test-again /work/test \
    "after scripts/test.sh, which tests restore-core with the simulator" \
    cargo test -p restore-core
  echo '// A one-line change made by bench/setup-cost.sh.' >> /work/test/restore-core/src/lib.rs
  timed_step "cargo test -p restore-core after a one-line change" core-test-edit /work/test \
    "a comment line appended to restore-core/src/lib.rs" \
    cargo test -p restore-core

  echo "uptime at the end: $(uptime)" >> "$results/machine.txt"
}

if [ "${1:-}" = --inside ]; then
  run_inside
  exit 0
fi

# ---------------------------------------------------------------------------------------------
# Outside: build the root, run the steps in it, report, clean up.
# ---------------------------------------------------------------------------------------------

keep=false
case "${1:-}" in
  --keep) keep=true ;;
  "") ;;
  *) echo "usage: bash bench/setup-cost.sh [--keep]" >&2; exit 2 ;;
esac

if [ "$(id -u)" -ne 0 ]; then
  echo "bench/setup-cost.sh must run as root, because debootstrap, mount and chroot need it." >&2
  exit 1
fi

repo=$(cd "$(dirname "$0")/.." && pwd)
work=${SETUP_COST_DIR:-/tmp/vb365-setup-cost}
rootfs=$work/rootfs
results=$work/results
export SETUP_COST_PORTS=${SETUP_COST_PORTS:-18080 14080 14443}
# The mirror that this machine's own apt sources name.
mirror=http://deb.debian.org/debian

log() { printf '[setup-cost] %s\n' "$*" >&2; }

for port in $SETUP_COST_PORTS; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "Port $port on 127.0.0.1 is in use. Set SETUP_COST_PORTS to three free ports." >&2
    exit 1
  fi
done

# Lists the mount points under the root, deepest first.
mounts_under_root() {
  awk -v root="$rootfs/" 'index($5, root) == 1 { print $5 }' /proc/self/mountinfo | sort -r
}

# Unmounts everything under the root: this script's mounts of /proc, /sys and /dev.
unmount_root() {
  local mount_point
  for mount_point in $(mounts_under_root); do
    umount -R "$mount_point" 2>/dev/null || umount -R -l "$mount_point" 2>/dev/null
  done
}

# Deletes the root, unless something is still mounted under it: rm would reach this machine's
# /dev or /sys through such a mount.
remove_root() {
  unmount_root
  if [ -n "$(mounts_under_root)" ]; then
    log "not deleting $rootfs: still mounted under it: $(mounts_under_root | tr '\n' ' ')"
    return 1
  fi
  rm -rf --one-file-system "$rootfs"
}

cgroup=""
cleanup() {
  set +e
  if [ -n "$cgroup" ] && [ -d "$cgroup" ]; then
    # Every process in this cgroup was started by this script, in the root.
    local pids
    pids=$(cat "$cgroup/cgroup.procs")
    if [ -n "$pids" ]; then
      log "stopping processes left in the root: $(echo $pids)"
      kill -TERM $pids 2>/dev/null
      sleep 3
      kill -KILL $(cat "$cgroup/cgroup.procs") 2>/dev/null
      sleep 1
    fi
    rmdir "$cgroup"
  fi
  if [ "$keep" = true ]; then
    unmount_root
    log "kept the root at $rootfs; mount /proc, /sys and /dev in it again before chroot"
  elif [ -d "$rootfs" ]; then
    log "deleting the root $rootfs"
    remove_root
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -d "$rootfs" ]; then
  log "removing the root of an earlier run"
  remove_root || exit 1
fi
rm -rf "$results"
mkdir -p "$work" "$results"
prepare_log=$results/prepare.log
: > "$prepare_log"

# The environment of a login on a new machine. Its CA variables point at the CA bundle, which
# contains this machine's extra CA certificates; npm, for one, fails on the registry without them.
root_environment=(HOME=/root USER=root LANG=C.UTF-8 TERM=dumb RUSTUP_AUTO_INSTALL=0
  PATH=/root/.cargo/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin)
for name in NODE_EXTRA_CA_CERTS SSL_CERT_FILE SSL_CERT_DIR CURL_CA_BUNDLE GIT_SSL_CAINFO \
  REQUESTS_CA_BUNDLE PIP_CERT; do
  if [ -n "${!name:-}" ]; then root_environment+=("$name=${!name}"); fi
done

# Runs a command in the root with the environment of a login on a new machine.
in_root() {
  chroot "$rootfs" /usr/bin/env -i "${root_environment[@]}" DEBIAN_FRONTEND=noninteractive "$@"
}

if ! command -v debootstrap > /dev/null; then
  log "installing debootstrap on this machine"
  apt-get update -qq >> "$prepare_log"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >> "$prepare_log"
fi

log "debootstrap of Debian bookworm into $rootfs (about 2 minutes)"
debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >> "$prepare_log" 2>&1

log "apt sources, CA certificates and DNS of this machine"
# A new machine has the same apt configuration and extra CA certificates as this one. HTTPS to
# the package registries may need those certificates.
rm -f "$rootfs/etc/apt/sources.list"
cp /etc/apt/sources.list.d/*.sources "$rootfs/etc/apt/sources.list.d/" 2>/dev/null ||
  echo "deb $mirror bookworm main" > "$rootfs/etc/apt/sources.list"
cp -a /etc/apt/apt.conf.d/. "$rootfs/etc/apt/apt.conf.d/"
mkdir -p "$rootfs/usr/local/share/ca-certificates"
cp -a /usr/local/share/ca-certificates/. "$rootfs/usr/local/share/ca-certificates/"
cp /etc/resolv.conf /etc/hosts "$rootfs/etc/"
# Keeps package scripts from starting services, such as nginx on port 80, because the root
# shares this machine's network. A new machine may start nginx, which these figures leave out.
printf '#!/bin/sh\nexit 101\n' > "$rootfs/usr/sbin/policy-rc.d"
chmod +x "$rootfs/usr/sbin/policy-rc.d"

mount -t proc proc "$rootfs/proc"
# rbind brings /dev/pts, /dev/shm (Chromium needs it) and the cgroup mounts under /sys.
# rslave keeps the unmount at the end from reaching this machine's own mounts.
for dir in dev sys; do
  mount --rbind "/$dir" "$rootfs/$dir"
  mount --make-rslave "$rootfs/$dir"
done

# The packages that a new machine has and that the project's scripts and tests call directly.
# All of them are in bench/new-machine-debian-packages.txt. openjdk-17-jre-headless brings the
# keytool that restore-core's tests call, which setup.sh installs only where it is missing.
base_packages=(build-essential git curl ca-certificates openssl libssl-dev pkg-config python3
  procps time xz-utils openjdk-17-jre-headless)
image_packages=$(grep -v '^#' "$repo/bench/new-machine-debian-packages.txt")
for package in "${base_packages[@]}"; do
  grep -qx "$package" <<< "$image_packages" ||
    { echo "$package is not in bench/new-machine-debian-packages.txt" >&2; exit 1; }
done
log "Debian packages of a new machine: ${base_packages[*]}"
in_root apt-get update -qq >> "$prepare_log" 2>&1
in_root apt-get install -y -qq --no-install-recommends "${base_packages[@]}" >> "$prepare_log" 2>&1
in_root update-ca-certificates >> "$prepare_log" 2>&1

# scripts/setup.sh installs its Debian packages with their recommended packages. Those that a
# new machine already has go in now, so that setup.sh installs only the rest.
read -r -a setup_packages <<< "$(sed -n 's/^ *local wanted=(\(.*\))$/\1/p' "$repo/scripts/setup.sh")"
if [ "${#setup_packages[@]}" -eq 0 ]; then
  echo "No 'local wanted=(...)' package list found in scripts/setup.sh" >&2
  exit 1
fi
pulled_in=$(in_root apt-get install -s "${setup_packages[@]}" 2>/dev/null | awk '$1 == "Inst" { print $2 }')
preinstalled=()
for package in $pulled_in; do
  grep -qx "$package" <<< "$image_packages" && preinstalled+=("$package")
done
log "${#preinstalled[@]} of the $(wc -w <<< "$pulled_in") packages that setup.sh's packages pull in are on a new machine; installing those"
printf '%s\n' "${preinstalled[@]}" > "$results/preinstalled-packages.txt"
in_root apt-get install -y -qq --no-install-recommends "${preinstalled[@]}" >> "$prepare_log" 2>&1
in_root apt-get install -s "${setup_packages[@]}" 2>/dev/null |
  awk '$1 == "Inst" { print $2 }' > "$results/left-for-setup-packages.txt"
log "$(wc -l < "$results/left-for-setup-packages.txt") packages are left for setup.sh to install"

log "Node.js and npm from this machine (NodeSource's nodejs package, npm as upgraded at start-up)"
{ dpkg -L nodejs; find /usr/lib/node_modules; printf '%s\n' /usr/bin/npm /usr/bin/npx /usr/bin/corepack; } |
  sort -u | while IFS= read -r path; do
    if [ "$path" != /. ] && { [ -e "$path" ] || [ -L "$path" ]; }; then echo "${path#/}"; fi
  done | tar -C / --no-recursion -cf - -T - | tar -C "$rootfs" -xf -
# npm's user and global configuration files, which name the CA bundle among other settings.
for npmrc in /root/.npmrc /etc/npmrc /usr/etc/npmrc; do
  if [ -f "$npmrc" ]; then
    mkdir -p "$rootfs$(dirname "$npmrc")"
    cp -a "$npmrc" "$rootfs$npmrc"
  fi
done

log "Rust toolchain from this machine, without the wasm32 target and with an empty cargo registry"
rustup_home=${RUSTUP_HOME:-$HOME/.rustup}
cargo_home=${CARGO_HOME:-$HOME/.cargo}
toolchain=$(rustup default | awk '{ print $1 }')
mkdir -p "$rootfs/root/.rustup/toolchains" "$rootfs/root/.cargo/bin"
cp -a "$rustup_home/settings.toml" "$rootfs/root/.rustup/"
[ -d "$rustup_home/update-hashes" ] && cp -a "$rustup_home/update-hashes" "$rootfs/root/.rustup/"
cp -a "$rustup_home/toolchains/$toolchain" "$rootfs/root/.rustup/toolchains/"
# Names such as 1.95.0-x86_64-unknown-linux-gnu that link to the default toolchain.
for link in "$rustup_home"/toolchains/*; do
  if [ -L "$link" ] && [ "$(readlink -f "$link")" = "$(readlink -f "$rustup_home/toolchains/$toolchain")" ]; then
    ln -s "/root/.rustup/toolchains/$toolchain" "$rootfs/root/.rustup/toolchains/$(basename "$link")"
  fi
done
# rustup and its proxies (cargo, rustc, ...), which link to it. Binaries that cargo installed,
# such as trunk, stay behind.
cp -a "$cargo_home/bin/rustup" "$rootfs/root/.cargo/bin/"
for link in "$cargo_home"/bin/*; do
  if [ -L "$link" ] && [ "$(readlink "$link")" = rustup ]; then cp -a "$link" "$rootfs/root/.cargo/bin/"; fi
done
[ -f "$cargo_home/env" ] && cp -a "$cargo_home/env" "$rootfs/root/.cargo/"
if in_root rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  in_root rustup target remove wasm32-unknown-unknown >> "$prepare_log" 2>&1
fi

# The clones live under /work, as the project does on this machine.
clones=/work
log "two fresh clones of $repo at $(git -C "$repo" log -1 --format='%h %s') in $clones"
mkdir -p "$rootfs$clones"
git clone --quiet --no-hardlinks "$repo" "$rootfs$clones/demo"
git clone --quiet --no-hardlinks "$repo" "$rootfs$clones/test"
mkdir -p "$rootfs/root/setup-cost"
cp "$repo/bench/setup-cost.sh" "$rootfs/root/setup-cost/"

log "the root has: $(in_root rustc --version); node $(in_root node --version); $(in_root python3 --version); installed targets: $(in_root rustup target list --installed | tr '\n' ' ')"

# A cgroup of its own counts the CPU time of every process in the root, including those that
# outlive their parent, such as the demo's simulator and trunk.
if [ -f /sys/fs/cgroup/cpuacct/cpuacct.usage_user ]; then
  cgroup=/sys/fs/cgroup/cpuacct/vb365-setup-cost-$$
elif [ -f /sys/fs/cgroup/cgroup.controllers ]; then
  cgroup=/sys/fs/cgroup/vb365-setup-cost-$$
else
  echo "No cgroup cpuacct (v1) or cgroup v2 hierarchy found under /sys/fs/cgroup, so CPU time cannot be counted. Mount one of them and run this again." >&2
  exit 1
fi
mkdir "$cgroup"

log "running the README's commands in the root (over an hour on 2 cores); progress: $results/inside.log"
# In the background with wait, so that a signal to this script runs its cleanup at once.
(
  echo "$BASHPID" > "$cgroup/cgroup.procs"
  exec chroot "$rootfs" /usr/bin/env -i "${root_environment[@]}" SETUP_COST_CGROUP="$cgroup" \
    SETUP_COST_PORTS="$SETUP_COST_PORTS" /bin/bash /root/setup-cost/setup-cost.sh --inside
) > "$results/inside.log" 2>&1 &
inside_status=0
wait $! || inside_status=$?
cp -a "$rootfs/root/setup-cost/results/." "$results/"

# Prints the phases of a time-stamped log: each line that matches the pattern starts a phase,
# which lasts until the next one or the end ($3 seconds).
phases() {
  PATTERN=$2 awk -v end="$3" '
    $0 ~ ENVIRON["PATTERN"] { time[n] = $1; sub(/^ *[0-9.]+ /, ""); name[n++] = $0 }
    END { for (i = 0; i < n; i++) printf "| %s | %.0f |\n", name[i], (i + 1 < n ? time[i + 1] : end) - time[i] }
  ' "$1"
}

{
  echo "# Set-up cost run"
  echo
  sed 's/^/- /' "$results/machine.txt"
  echo "- Debian packages left for scripts/setup.sh to install: $(wc -l < "$results/left-for-setup-packages.txt")"
  echo
  echo "| step | wall s | CPU s (user + system) | load before | load after | exit status | note |"
  echo "|---|---:|---:|---|---|---:|---|"
  tail -n +2 "$results/steps.tsv" | awk -F'\t' '{ printf "| %s | %.1f | %.1f (%s + %s) | %s | %s | %s | %s |\n", $1, $2, $3 + $4, $3, $4, $5, $6, $7, $8 }'
  if [ -f "$results/demo.log" ]; then
    echo
    echo "Phases of scripts/demo.sh (seconds). Each starts at the log line named and lasts until the next one:"
    echo
    echo "| phase | wall s |"
    echo "|---|---:|"
    demo_end=$(awk -F'\t' '$1 == "scripts/demo.sh until the app is served" { print $2 }' "$results/steps.tsv")
    phases "$results/demo.log" '^ *[0-9.]+ (\[setup\] |  Mailbox restore demo$)' "${demo_end:-0}"
  fi
  if [ -f "$results/test.log" ]; then
    echo
    echo "Phases of scripts/test.sh (seconds), named the same way:"
    echo
    echo "| phase | wall s |"
    echo "|---|---:|"
    test_end=$(awk -F'\t' '$1 == "scripts/test.sh" { print $2 }' "$results/steps.tsv")
    phases "$results/test.log" '^ *[0-9.]+ (\[setup\] |==> )' "${test_end:-0}"
  fi
} > "$results/results.md"
cat "$results/results.md"

if [ "$inside_status" -ne 0 ]; then
  echo "The steps in the root stopped with exit status $inside_status; see $results/inside.log" >&2
  exit 1
fi
if awk -F'\t' 'NR > 1 && $7 != 0 { found = 1 } END { exit !found }' "$results/steps.tsv"; then
  echo "At least one step failed (exit status column); its log is in $results" >&2
  exit 1
fi
