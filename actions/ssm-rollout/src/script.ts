/**
 * The shell scripts sent to instances through AWS-RunShellScript. Pure generators: every value is
 * single-quoted, and values with newlines or control characters are refused before any quoting, so no
 * input can end a quoted word, start a command or hide a line from the log.
 */

export type ContainerRuntime = 'docker' | 'podman';

export interface DeployScriptOptions {
  runtime: ContainerRuntime;
  image: string;
  /** Registry host to log in to with the instance role; '' skips the login. */
  registry: string;
  /** Region of the instances' Parameter Store (env-parameters-path). */
  region: string;
  /** Region of the image's ECR registry (the login); defaults to `region`. */
  ecrRegion?: string;
  containerName: string;
  containerPort: number;
  hostPort: number;
  healthPath: string;
  healthTimeoutSeconds: number;
  /** Parameter Store path whose parameters become the container's environment; '' for none. */
  envParametersPath: string;
  /**
   * Identifies this rollout on the instance: the deploy script records it when it sets the current container
   * aside, and the rollback script acts only on instances that carry the same ID (so it never "rolls back" an
   * instance this rollout did not change to an older release kept from an earlier rollout).
   */
  rolloutId: string;
  /** Where the instance records the previous image and the rollout ID (one file per container). */
  stateDir?: string;
  /** Seconds between health probes. */
  probeIntervalSeconds?: number;
  /**
   * A port of its own where the container serves its metrics (METRICS_PORT): published on the same port
   * of the instance. Undefined, or equal to hostPort: nothing more is published.
   */
  metricsPort?: number;
}

export type RollbackScriptOptions = Pick<
  DeployScriptOptions,
  | 'runtime'
  | 'containerName'
  | 'hostPort'
  | 'healthPath'
  | 'healthTimeoutSeconds'
  | 'stateDir'
  | 'rolloutId'
  | 'probeIntervalSeconds'
>;

export const DEFAULT_STATE_DIR = '/var/lib/ssm-rollout';
/** Lines the scripts print so the action can read each instance's outcome from the command output. */
export const MARKER_RESULT = 'SSM_ROLLOUT_RESULT=';
export const MARKER_PREVIOUS = 'SSM_ROLLOUT_PREVIOUS_IMAGE=';
/** Lines of the metrics script: the container's image, then its metrics (gzip, base64) or why there are none. */
export const MARKER_IMAGE = 'SSM_ROLLOUT_IMAGE=';
export const MARKER_METRICS = 'SSM_ROLLOUT_METRICS=';
export const MARKER_METRICS_ERROR = 'SSM_ROLLOUT_METRICS_ERROR=';
export const BACKUP_SUFFIX = '-ssm-rollout-previous';

/** Exit codes of the deploy and rollback scripts (documented in README). */
export const EXIT = {
  unhealthyRestored: 10,
  restoreFailed: 11,
  noPrevious: 12,
  rollbackUnhealthy: 13,
  badEnvironment: 4,
} as const;

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** A value that cannot go into the generated script, named by its input. */
function unsafeValue(
  field: string,
  value: string,
  reason = 'must not contain newlines or control characters',
) {
  return new Error(
    `${field} ${reason} (got ${JSON.stringify(value)}); they could break the generated shell script.`,
  );
}

/** Run Command replaces {{ssm:name}} placeholders in the commands after we quote them: refuse braces pairs. */
const SSM_PLACEHOLDER = /\{\{|\}\}/;

/** Quotes one value for POSIX shells: 'it'\''s' (the only character special inside '' is ' itself). */
export function shellQuote(field: string, value: string | number): string {
  const text = String(value);
  if (CONTROL.test(text)) throw unsafeValue(field, text);
  if (SSM_PLACEHOLDER.test(text)) {
    throw unsafeValue(
      field,
      text,
      "must not contain '{{' or '}}' (Systems Manager substitutes {{ssm:...}} placeholders into the command)",
    );
  }
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

function assignments(values: [string, string, string | number][]): string {
  return values.map(([variable, field, value]) => `${variable}=${shellQuote(field, value)}`).join('\n');
}

const COMMON_FUNCTIONS = String.raw`log() { printf 'ssm-rollout: %s\n' "$*"; }

health_ok() {
  curl --silent --fail --globoff --max-time 5 --output /dev/null "http://127.0.0.1:$host_port$health_path"
}

# Probes until the container answers 2xx or health_timeout seconds have passed.
wait_healthy() {
  local deadline=$((SECONDS + health_timeout))
  while :; do
    if health_ok; then return 0; fi
    if [ "$SECONDS" -ge "$deadline" ]; then return 1; fi
    sleep "$probe_interval"
  done
}`;

/** The deploy script (bash). */
export function deployScript(o: DeployScriptOptions): string {
  const vars = assignments([
    ['runtime', 'container-runtime', o.runtime],
    ['image', 'image', o.image],
    ['registry', 'registry', o.registry],
    ['region', 'region', o.region],
    ['ecr_region', 'image registry region', o.ecrRegion ?? o.region],
    ['name', 'container-name', o.containerName],
    ['host_port', 'host-port', o.hostPort],
    ['container_port', 'container-port', o.containerPort],
    ['health_path', 'health-path', o.healthPath],
    ['health_timeout', 'health-timeout', o.healthTimeoutSeconds],
    ['env_path', 'env-parameters-path', o.envParametersPath],
    ['state_dir', 'state directory', o.stateDir ?? DEFAULT_STATE_DIR],
    ['probe_interval', 'probe interval', o.probeIntervalSeconds ?? 2],
    ['rollout_id', 'rollout ID', o.rolloutId],
    [
      'metrics_port',
      'metrics-port',
      o.metricsPort === undefined || o.metricsPort === o.hostPort ? '' : o.metricsPort,
    ],
  ]);
  return `#!/usr/bin/env bash
# shellcheck disable=SC2016 # the quoted values below are literal on purpose: nothing in them expands
# Generated by ssm-rollout: deploys one container image and keeps the previous container to return to.
set -euo pipefail
umask 077
${vars}
backup="$name${BACKUP_SUFFIX}"
publish=(--publish "$host_port:$container_port")
if [ -n "$metrics_port" ]; then publish+=(--publish "$metrics_port:$metrics_port"); fi

${COMMON_FUNCTIONS}

env_file=$(mktemp)
trap 'rm -f "$env_file"' EXIT

if [ -n "$registry" ]; then
  log "logging in to $registry with the instance role"
  aws ecr get-login-password --region "$ecr_region" | "$runtime" login --username AWS --password-stdin "$registry" >/dev/null
fi

log "pulling $image"
"$runtime" pull --quiet "$image" >/dev/null

previous=''
if "$runtime" container inspect "$name" >/dev/null 2>&1; then
  previous=$("$runtime" container inspect --format '{{.Config.Image}}' "$name")
fi
printf '${MARKER_PREVIOUS}%s\\n' "$previous"
mkdir -p "$state_dir"
printf '%s\\n' "$previous" >"$state_dir/$name.previous"

if [ -n "$env_path" ]; then
  # Names first (they cannot hold whitespace), then each value on its own: a value is never split into
  # lines that could be taken for names, and no log line ever shows text taken from a value.
  if ! names=$(aws ssm get-parameters-by-path --region "$region" --path "$env_path" --recursive \\
    --query 'Parameters[].Name' --output text); then
    log "could not read the parameters under $env_path (the instance role needs ssm:GetParametersByPath and kms:Decrypt)"
    printf '${MARKER_RESULT}environment-unreadable\\n'
    exit ${EXIT.badEnvironment}
  fi
  read -r -d '' -a parameters <<<"$names" || true # every name, on one line or one per page
  if [ "\${#parameters[@]}" -eq 0 ] || [ "$names" = None ]; then
    log "no parameters under $env_path"
    printf '${MARKER_RESULT}environment-empty\\n'
    exit ${EXIT.badEnvironment}
  fi
  for parameter in "\${parameters[@]}"; do
    key=\${parameter##*/}
    if ! [[ $key =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]]; then
      log "parameter $parameter: '$key' is not a valid environment variable name"
      printf '${MARKER_RESULT}environment-invalid\\n'
      exit ${EXIT.badEnvironment}
    fi
    if ! value=$(aws ssm get-parameter --region "$region" --name "$parameter" --with-decryption \\
      --query Parameter.Value --output text); then
      log "could not read $parameter (the instance role needs ssm:GetParameter and kms:Decrypt)"
      printf '${MARKER_RESULT}environment-unreadable\\n'
      exit ${EXIT.badEnvironment}
    fi
    if [[ $value == *$'\\n'* ]]; then
      log "parameter $parameter holds several lines; an environment variable file takes one line per value"
      printf '${MARKER_RESULT}environment-invalid\\n'
      exit ${EXIT.badEnvironment}
    fi
    printf '%s=%s\\n' "$key" "$value" >>"$env_file"
  done
fi

"$runtime" rm --force "$backup" >/dev/null 2>&1 || true
printf '%s\\n' "$rollout_id" >"$state_dir/$name.rollout"
if [ -n "$previous" ]; then
  log "stopping the current container (image $previous)"
  "$runtime" stop "$name" >/dev/null
  "$runtime" rename "$name" "$backup"
fi

# Puts the previous container back and waits until it serves again (a restarted service needs a moment).
restore() {
  "$runtime" rm --force "$name" >/dev/null 2>&1 || true
  if [ -n "$previous" ]; then
    "$runtime" rename "$backup" "$name" || return 1
    "$runtime" start "$name" >/dev/null || return 1
    rm -f "$state_dir/$name.rollout" # the previous container is back: nothing left for a rollback to undo
    if ! wait_healthy; then
      log "the previous container is back but not healthy within $health_timeout s"
      return 1
    fi
  fi
  rm -f "$state_dir/$name.rollout"
}

log "starting $name from $image"
if ! "$runtime" run --detach --name "$name" --restart unless-stopped --env-file "$env_file" \\
  "\${publish[@]}" "$image" >/dev/null; then
  rm -f "$env_file"
  log "the new container did not start; restoring the previous one"
  if restore; then
    printf '${MARKER_RESULT}start-failed-restored\\n'
    exit ${EXIT.unhealthyRestored}
  fi
  printf '${MARKER_RESULT}restore-failed\\n'
  exit ${EXIT.restoreFailed}
fi
rm -f "$env_file" # the container has read it; decrypted values do not wait on disk for the health checks

if wait_healthy; then
  log "healthy: http://127.0.0.1:$host_port$health_path"
  printf '${MARKER_RESULT}healthy\\n'
  exit 0
fi

log "not healthy within $health_timeout s; restoring the previous container"
if restore; then
  printf '${MARKER_RESULT}unhealthy-restored\\n'
  exit ${EXIT.unhealthyRestored}
fi
printf '${MARKER_RESULT}restore-failed\\n'
exit ${EXIT.restoreFailed}
`;
}

/** The rollback script (bash): puts back the container the deploy script set aside. */
export function rollbackScript(o: RollbackScriptOptions): string {
  const vars = assignments([
    ['runtime', 'container-runtime', o.runtime],
    ['name', 'container-name', o.containerName],
    ['host_port', 'host-port', o.hostPort],
    ['health_path', 'health-path', o.healthPath],
    ['health_timeout', 'health-timeout', o.healthTimeoutSeconds],
    ['state_dir', 'state directory', o.stateDir ?? DEFAULT_STATE_DIR],
    ['probe_interval', 'probe interval', o.probeIntervalSeconds ?? 2],
    ['rollout_id', 'rollout ID', o.rolloutId],
  ]);
  return `#!/usr/bin/env bash
# shellcheck disable=SC2016 # the quoted values below are literal on purpose: nothing in them expands
# Generated by ssm-rollout: returns to the container that was running before this rollout.
set -euo pipefail
${vars}
backup="$name${BACKUP_SUFFIX}"

${COMMON_FUNCTIONS}

recorded=''
if [ -f "$state_dir/$name.rollout" ]; then recorded=$(cat "$state_dir/$name.rollout"); fi
if [ "$recorded" != "$rollout_id" ]; then
  log "this rollout did not change $name here; leaving it as it is"
  printf '${MARKER_RESULT}unchanged\\n'
  exit 0
fi
previous=''
if [ -f "$state_dir/$name.previous" ]; then previous=$(cat "$state_dir/$name.previous"); fi
printf '${MARKER_PREVIOUS}%s\\n' "$previous"
if "$runtime" container inspect "$backup" >/dev/null 2>&1; then
  "$runtime" rm --force "$name" >/dev/null 2>&1 || true
  "$runtime" rename "$backup" "$name"
else
  # A deploy (or rollback) stopped half-way, say by a cancelled workflow, may have left the previous container
  # under its own name: before it was set aside, or after it was put back. Then it only needs to run.
  current=''
  if "$runtime" container inspect "$name" >/dev/null 2>&1; then
    current=$("$runtime" container inspect --format '{{.Config.Image}}' "$name")
  fi
  if [ -z "$previous" ] || [ "$current" != "$previous" ]; then
    log "no previous container $backup to return to"
    printf '${MARKER_RESULT}no-previous\\n'
    exit ${EXIT.noPrevious}
  fi
  log "$name already holds the previous image $previous"
fi
"$runtime" start "$name" >/dev/null
rm -f "$state_dir/$name.rollout"
if wait_healthy; then
  log "rolled back to $previous"
  printf '${MARKER_RESULT}rolled-back\\n'
  exit 0
fi
log "rolled back to $previous but it is not healthy within $health_timeout s"
printf '${MARKER_RESULT}rolled-back-unhealthy\\n'
exit ${EXIT.rollbackUnhealthy}
`;
}

export interface MetricsScriptOptions {
  runtime: ContainerRuntime;
  containerName: string;
  /** Port on the instance that serves the metrics (host-port, or a port of their own). */
  metricsPort: number;
  metricsPath: string;
  /** Parameter Store name of the bearer token /metrics asks for; '' for none. Read on the instance. */
  tokenParameter: string;
  /** Region of that parameter. */
  region: string;
  /** The request-duration histogram: only its samples (and the process start time) are sent back. */
  histogram: string;
}

/**
 * The metrics script (bash): reads the service's Prometheus text on the instance itself (127.0.0.1, so no
 * inbound path is needed) and prints the container's image, then the request histogram's lines gzip-ed and
 * base64-encoded on one line (Run Command keeps 24,000 characters of output), or why it could not. The token
 * is read with the instance role and handed to curl on its standard input: it is never in the command, on a
 * command line or in the output.
 */
export function metricsScript(o: MetricsScriptOptions): string {
  if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(o.histogram))
    throw unsafeValue('histogram', o.histogram, 'must be a metric name');
  const vars = assignments([
    ['runtime', 'container-runtime', o.runtime],
    ['name', 'container-name', o.containerName],
    ['metrics_port', 'metrics-port', o.metricsPort],
    ['metrics_path', 'metrics-path', o.metricsPath],
    ['token_parameter', 'metrics-token-parameter', o.tokenParameter],
    ['region', 'region', o.region],
    ['histogram', 'histogram', o.histogram],
  ]);
  return `#!/usr/bin/env bash
# shellcheck disable=SC2016 # the quoted values below are literal on purpose: nothing in them expands
# Generated by ssm-rollout: reads the container's metrics for the canary analysis; changes nothing.
set -euo pipefail
umask 077
${vars}

fail() {
  printf '${MARKER_METRICS_ERROR}%s\\n' "$*"
  exit 5
}

image=''
if "$runtime" container inspect "$name" >/dev/null 2>&1; then
  image=$("$runtime" container inspect --format '{{.Config.Image}}' "$name")
fi
printf '${MARKER_IMAGE}%s\\n' "$image"
[ -n "$image" ] || fail "there is no container $name on this instance"

token=''
if [ -n "$token_parameter" ]; then
  if ! token=$(aws ssm get-parameter --region "$region" --name "$token_parameter" --with-decryption \\
    --query Parameter.Value --output text 2>/dev/null); then
    fail "could not read $token_parameter (the instance role needs ssm:GetParameter and kms:Decrypt on it)"
  fi
  [[ $token != *[$'\\r\\n']* ]] || fail "$token_parameter holds a line break; a bearer token is one line"
fi

body=$(mktemp)
errors=$(mktemp)
trap 'rm -f "$body" "$errors"' EXIT
url="http://127.0.0.1:$metrics_port$metrics_path"
get() {
  curl --silent --show-error --globoff --max-time 10 --output "$body" --write-out '%{http_code}' "$@" "$url" 2>"$errors"
}
if [ -n "$token" ]; then
  status=$(printf 'Authorization: Bearer %s\\n' "$token" | get --header @-) || fail "GET $url: $(head -c 300 "$errors" | tr '\\n' ' ')"
else
  status=$(get) || fail "GET $url: $(head -c 300 "$errors" | tr '\\n' ' ')"
fi
if [ "$status" != 200 ]; then
  hint=''
  if [ "$status" = 401 ] || [ "$status" = 403 ]; then hint=' (does it need a bearer token? metrics-token-parameter)'; fi
  fail "GET $url answered $status$hint"
fi
printf '${MARKER_METRICS}'
{ grep -E "^(# TYPE $histogram |$\{histogram}_(bucket|count)[{ ]|process_start_time_seconds[{ ])" "$body" || true; } |
  gzip -9 | base64 -w 0
printf '\\n'
`;
}

/**
 * The one command sent as AWS-RunShellScript's `commands`: the agent runs it with sh, so it writes the
 * bash script to a private temporary file through a quoted here-document (no expansion inside) and runs
 * it with bash. No input can contain a newline, so none can end the here-document early.
 */
export function runShellCommand(script: string): string {
  const delimiter = 'SSM_ROLLOUT_SCRIPT_END';
  if (script.split('\n').includes(delimiter)) throw new Error('the script contains its own delimiter line');
  return [
    'script_file=$(mktemp)',
    `cat >"$script_file" <<'${delimiter}'`,
    script.replace(/\n$/, ''),
    delimiter,
    'status=0',
    'bash "$script_file" || status=$?',
    'rm -f "$script_file"',
    'exit "$status"',
    '',
  ].join('\n');
}

/** Reads the marker lines from a command's output. */
export function parseMarkers(output: string): { result?: string; previousImage?: string } {
  const found: { result?: string; previousImage?: string } = {};
  for (const line of output.split(/\r?\n/)) {
    if (line.startsWith(MARKER_RESULT)) found.result = line.slice(MARKER_RESULT.length).trim();
    if (line.startsWith(MARKER_PREVIOUS)) found.previousImage = line.slice(MARKER_PREVIOUS.length).trim();
  }
  return found;
}
