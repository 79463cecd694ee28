#!/usr/bin/env bash
# Renders the nginx configuration for the mailbox restore app into a directory, then checks
# it with `nginx -t`. Settings come from environment variables (see docs/deployment.md):
#
#   APP_ROOT=/srv/restore/dist VB365_HOST=vb365.contoso.local \
#   VB365_CA_FILE=/etc/ssl/vb365.pem HTTPS_LISTEN=443 \
#   TLS_CERT=/etc/ssl/restore.pem TLS_KEY=/etc/ssl/restore.key \
#   deploy/render.sh /etc/nginx/restore-app
#
# Writes nginx.conf (a standalone nginx that keeps its PID file, logs and temporary files in
# that directory), site.conf (the server blocks, for the http block of an existing nginx),
# locations.conf and vb365-proxy.conf (included by site.conf).
set -euo pipefail

templates=$(cd "$(dirname "$0")" && pwd)

fail() {
  echo "render.sh: $*" >&2
  exit 1
}

[ $# -eq 1 ] || fail "usage: deploy/render.sh <output directory>"
mkdir -p "$1"
RUN_DIR=$(cd "$1" && pwd)

APP_PATH=${APP_PATH:-/}
VB365_PORT=${VB365_PORT:-4443}
VB365_TLS_VERIFY=${VB365_TLS_VERIFY:-on}
VB365_TLS_NAME=${VB365_TLS_NAME:-${VB365_HOST:-}}
SERVER_NAME=${SERVER_NAME:-_}
HTTP_LISTEN=${HTTP_LISTEN-80}
HTTPS_LISTEN=${HTTPS_LISTEN:-}
PROXY_TIMEOUT=${PROXY_TIMEOUT:-4h}
BROTLI=${BROTLI:-on}
NGINX_MODULES_DIR=${NGINX_MODULES_DIR:-/usr/lib/nginx/modules}
NGINX_CONF_DIR=${NGINX_CONF_DIR:-/etc/nginx}
NGINX_USER=${NGINX_USER:-www-data}
if [ -n "$HTTPS_LISTEN" ]; then HTTP_MODE=${HTTP_MODE:-redirect}; else HTTP_MODE=${HTTP_MODE:-app}; fi

# Values end up inside nginx directives, so a space, quote, semicolon or brace could add
# directives of its own. Reject them rather than quote them.
for name in APP_ROOT APP_PATH VB365_HOST VB365_PORT VB365_TLS_NAME VB365_CA_FILE SERVER_NAME \
  HTTP_LISTEN HTTPS_LISTEN TLS_CERT TLS_KEY PROXY_TIMEOUT NGINX_MODULES_DIR NGINX_CONF_DIR \
  NGINX_USER RUN_DIR; do
  value=${!name:-}
  [[ "$value" =~ [[:space:]\;\{\}\"\'\$\#] ]] && fail "$name='$value' contains a space, quote, ';', '{', '}', '\$' or '#'"
done

[ -n "${APP_ROOT:-}" ] || fail "APP_ROOT is missing: set it to the built dist directory"
[[ "$APP_ROOT" = /* ]] || fail "APP_ROOT='$APP_ROOT' must be an absolute path"
APP_ROOT=${APP_ROOT%/}
[ -f "$APP_ROOT/index.html" ] || fail "APP_ROOT='$APP_ROOT' has no index.html; build the app first"
grep -q '<script type="module">' "$APP_ROOT/index.html" &&
  fail "$APP_ROOT/index.html still has trunk's inline start-up script, which the Content-Security-Policy blocks; run scripts/post-build.sh $APP_ROOT"
[[ "$APP_PATH" = /*/ || "$APP_PATH" = / ]] || fail "APP_PATH='$APP_PATH' must start and end with / (for example /restore/)"
[ -n "${VB365_HOST:-}" ] || fail "VB365_HOST is missing: set it to the VB365 server's host name"
[[ "$VB365_PORT" =~ ^[0-9]+$ ]] || fail "VB365_PORT='$VB365_PORT' is not a port number"

sections=()
case "$VB365_TLS_VERIFY" in
  on)
    [ -n "${VB365_CA_FILE:-}" ] || fail "VB365_CA_FILE is missing: set it to a PEM file with the VB365 certificate or its CA, or set VB365_TLS_VERIFY=off (insecure)"
    [ -f "$VB365_CA_FILE" ] || fail "VB365_CA_FILE='$VB365_CA_FILE' not found"
    # nginx 1.22 matches the name against DNS entries only, never against IP addresses.
    [[ "$VB365_TLS_NAME" =~ ^[0-9.]+$|: ]] &&
      echo "render.sh: WARNING: VB365_TLS_NAME='$VB365_TLS_NAME' is an IP address, which nginx does not match against certificates; set it to a DNS name in VB365's certificate" >&2
    sections+=(TLS_VERIFY)
    ;;
  off)
    echo "render.sh: WARNING: VB365_TLS_VERIFY=off, so nginx does not check VB365's certificate" >&2
    sections+=(TLS_NO_VERIFY)
    ;;
  *) fail "VB365_TLS_VERIFY='$VB365_TLS_VERIFY' must be on or off" ;;
esac

case "$BROTLI" in
  on)
    [ -f "$NGINX_MODULES_DIR/ngx_http_brotli_static_module.so" ] ||
      fail "$NGINX_MODULES_DIR/ngx_http_brotli_static_module.so not found: install Debian's libnginx-mod-http-brotli-static, or set BROTLI=off"
    sections+=(BROTLI)
    ;;
  off) ;;
  *) fail "BROTLI='$BROTLI' must be on or off" ;;
esac

[ -n "$HTTP_LISTEN" ] || [ -n "$HTTPS_LISTEN" ] || fail "HTTP_LISTEN and HTTPS_LISTEN are both empty"
if [ -n "$HTTPS_LISTEN" ]; then
  [ -f "${TLS_CERT:-}" ] || fail "TLS_CERT='${TLS_CERT:-}' not found: HTTPS_LISTEN needs a certificate (PEM)"
  [ -f "${TLS_KEY:-}" ] || fail "TLS_KEY='${TLS_KEY:-}' not found: HTTPS_LISTEN needs the certificate's key (PEM)"
  sections+=(HTTPS)
fi
if [ -n "$HTTP_LISTEN" ]; then
  case "$HTTP_MODE" in
    app) sections+=(HTTP_APP) ;;
    redirect)
      [ -n "$HTTPS_LISTEN" ] || fail "HTTP_MODE=redirect needs HTTPS_LISTEN"
      sections+=(HTTP_REDIRECT)
      ;;
    *) fail "HTTP_MODE='$HTTP_MODE' must be app or redirect" ;;
  esac
fi
[ "$APP_PATH" = / ] || sections+=(SUB_PATH)

https_port=${HTTPS_LISTEN##*:}
if [ "$https_port" = 443 ] || [ -z "$https_port" ]; then HTTPS_PORT_SUFFIX=""; else HTTPS_PORT_SUFFIX=":$https_port"; fi
APP_PATH_NO_SLASH=${APP_PATH%/}
VB365_CA_FILE=${VB365_CA_FILE:-}
TLS_CERT=${TLS_CERT:-}
TLS_KEY=${TLS_KEY:-}

export APP_ROOT APP_PATH APP_PATH_NO_SLASH VB365_HOST VB365_PORT VB365_TLS_NAME VB365_CA_FILE \
  SERVER_NAME HTTP_LISTEN HTTPS_LISTEN HTTPS_PORT_SUFFIX TLS_CERT TLS_KEY PROXY_TIMEOUT \
  NGINX_MODULES_DIR NGINX_CONF_DIR NGINX_USER RUN_DIR
export RENDER_SECTIONS="${sections[*]}"

# Keeps the lines between "#@begin NAME" and "#@end NAME" when NAME is in RENDER_SECTIONS,
# drops the marker lines, and replaces @NAME@ with the environment variable NAME.
render() {
  awk '
    BEGIN { n = split(ENVIRON["RENDER_SECTIONS"], list, " "); for (i = 1; i <= n; i++) on[list[i]] = 1; skip = 0 }
    /^#@begin / { if (!on[$2]) skip++; next }
    /^#@end /   { if (!on[$2]) skip--; next }
    skip > 0    { next }
    {
      line = $0
      out = ""
      while (match(line, /@[A-Z0-9_]+@/)) {
        name = substr(line, RSTART + 1, RLENGTH - 2)
        if (!(name in ENVIRON)) { print "render.sh: unknown placeholder @" name "@ in " FILENAME > "/dev/stderr"; exit 1 }
        out = out substr(line, 1, RSTART - 1) ENVIRON[name]
        line = substr(line, RSTART + RLENGTH)
      }
      print out line
    }
  ' "$templates/$1.template" > "$RUN_DIR/$1"
}

for file in nginx.conf site.conf locations.conf vb365-proxy.conf; do
  render "$file"
done
# Workers run as NGINX_USER and create their temporary directories in here.
chmod 755 "$RUN_DIR"

if [ "${NGINX_TEST:-on}" = on ]; then
  nginx_binary=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
  [ -x "$nginx_binary" ] || fail "nginx not found; run scripts/setup.sh, or set NGINX_TEST=off"
  "$nginx_binary" -t -q -p "$RUN_DIR" -e "$RUN_DIR/error.log" -c "$RUN_DIR/nginx.conf" ||
    fail "nginx -t rejected the configuration in $RUN_DIR"
fi
echo "render.sh: wrote $RUN_DIR/nginx.conf (sections: ${sections[*]})"
