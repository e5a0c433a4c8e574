#!/usr/bin/env bash
# Temporal's Java time-skipping test server for the jest suite.
#
#   tools/temporal-test-server.sh provision   resolve the jars with Maven and build a class-data
#                                             sharing archive, once, into the cache directory
#   tools/temporal-test-server.sh <port>      run the server (what @temporalio/testing spawns)
#
# The cache directory is $PROCESSFLOW_CACHE_DIR, else ${XDG_CACHE_HOME:-$HOME/.cache}/processflow.
# The SDK gives the server 5 seconds to accept connections and kills only the process it spawned,
# so the run mode execs the JVM, and the archive keeps startup around one second on a busy machine.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
pom="$here/test-server/pom.xml"
cache_dir="${PROCESSFLOW_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/processflow}"
# Keyed by the pom's content, so changing a version provisions a fresh directory.
server_dir="$cache_dir/temporal-test-server/$(sha256sum "$pom" | cut -c1-16)"
main_class="io.temporal.testserver.TestServer"
jvm_opts=(-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData -Dorg.slf4j.simpleLogger.defaultLogLevel=warn)

fail() {
  echo "temporal-test-server.sh: $*" >&2
  exit 1
}

require() {
  command -v "$1" >/dev/null 2>&1 || fail "$1 is not installed. $2"
}

resolve_jars() {
  require mvn "Install Maven 3 and a JDK 17 or newer, then run: $0 provision"
  local staging="$server_dir.staging.$$"
  rm -rf "$staging"
  mkdir -p "$staging"

  mvn -q -B -f "$pom" dependency:copy-dependencies -DincludeScope=runtime \
    -DoutputDirectory="$staging/lib" >"$staging/maven.log" 2>&1 ||
    fail "Maven could not resolve the test server. Last lines of its log:
$(tail -n 20 "$staging/maven.log")"

  # An explicit, sorted jar list: the archive is only valid for the exact class path it was built with.
  (cd "$staging/lib" && ls ./*.jar | sort | sed "s|^\./|$server_dir/lib/|" | paste -sd: -) \
    >"$staging/classpath.txt"
  rm -rf "$server_dir"
  mv "$staging" "$server_dir"
}

# What the archive depends on: the JVM, the class path, and how this script records it.
archive_key() {
  java -version 2>&1
  cat "$server_dir/classpath.txt"
  sha256sum "${BASH_SOURCE[0]}" | cut -c1-64
}

free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 30000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
  fail "found no free port to build the class-data sharing archive"
}

# Empty gRPC requests over HTTP/2, where curl can: answered or refused, each loads the classes
# of the request path that the SDK's first connection would otherwise load against its deadline.
exercise_grpc() {
  command -v curl >/dev/null 2>&1 || return 0
  local method
  for method in temporal.api.workflowservice.v1.WorkflowService/GetSystemInfo \
    temporal.api.testservice.v1.TestService/GetCurrentTime \
    temporal.api.workflowservice.v1.WorkflowService/DescribeNamespace \
    temporal.api.workflowservice.v1.WorkflowService/StartWorkflowExecution; do
    printf '\0\0\0\0\0' | curl -s --http2-prior-knowledge -H 'content-type: application/grpc' \
      -H 'te: trailers' --data-binary @- -o /dev/null "http://127.0.0.1:$1/$method" || true
  done
}

build_archive() {
  local classpath port pid
  classpath="$(cat "$server_dir/classpath.txt")"
  port="$(free_port)"
  rm -f "$server_dir/classes.lst"

  # Record the classes that a start-up and the SDK's first calls load, then dump them into a
  # static archive.
  java "${jvm_opts[@]}" -XX:DumpLoadedClassList="$server_dir/classes.lst" -cp "$classpath" \
    "$main_class" "$port" >"$server_dir/archive.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 600); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    kill -0 "$pid" 2>/dev/null || fail "the test server exited while building the archive; see $server_dir/archive.log"
    sleep 0.1
  done
  exercise_grpc "$port"
  sleep 1
  kill "$pid"
  wait "$pid" 2>/dev/null || true

  # Dumped beside, then renamed: a test server starting meanwhile never maps half an archive.
  java "${jvm_opts[@]}" -Xshare:dump -XX:SharedClassListFile="$server_dir/classes.lst" \
    -XX:SharedArchiveFile="$server_dir/app.jsa.partial" -cp "$classpath" \
    >>"$server_dir/archive.log" 2>&1 ||
    fail "building the class-data sharing archive failed; see $server_dir/archive.log"
  mv -f "$server_dir/app.jsa.partial" "$server_dir/app.jsa"
  archive_key >"$server_dir/archive.key"
}

provision() {
  require java "Install a JDK 17 or newer, then run: $0 provision"
  mkdir -p "$cache_dir"
  if command -v flock >/dev/null 2>&1; then
    exec 9>"$cache_dir/temporal-test-server.lock"
    flock 9
  fi

  [[ -f "$server_dir/classpath.txt" ]] || resolve_jars
  if [[ ! -f "$server_dir/app.jsa" ]] || [[ "$(archive_key)" != "$(cat "$server_dir/archive.key" 2>/dev/null)" ]]; then
    build_archive
  fi
}

run() {
  [[ -f "$server_dir/classpath.txt" ]] || fail "the test server is not provisioned; run: $0 provision"
  local opts=("${jvm_opts[@]}")
  # -Xshare:auto falls back to plain class loading if the archive no longer matches the JVM.
  [[ -f "$server_dir/app.jsa" ]] && opts+=(-XX:SharedArchiveFile="$server_dir/app.jsa" -Xshare:auto)

  # Only a port: --enable-time-skipping would unbalance the SDK's lock/unlock calls.
  # shellcheck disable=SC2086 # TEMPORAL_TEST_SERVER_JAVA_OPTS holds several options on purpose
  exec java "${opts[@]}" ${TEMPORAL_TEST_SERVER_JAVA_OPTS:-} -cp "$(cat "$server_dir/classpath.txt")" \
    "$main_class" "$1"
}

case "${1:-}" in
  provision) provision ;;
  '' | -h | --help) sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//' ;;
  *) run "$1" ;;
esac
