# shellcheck shell=bash
# _spot_common.sh: shared machinery of the spot launcher family (sourced, never executed).
#
# A launcher sets SPOT_LOG_TAG, sources this file (env knobs and flag defaults are set here), sets
# SPOT_REPOS / SPOT_FULL_STAGES / SPOT_REQUIRED_FILES, defines usage(), then calls, in order:
#   spot_parse_flags "$@"; spot_finish_config     flags and env knobs (exit 2 on bad usage)
#   spot_print_plan WHAT                          the --dry-run plan (no aws, no ssh)
#   spot_require_files                            local inputs, exit 2 when missing
#   spot_arm_cleanup                              EXIT/TERM/INT/HUP traps: terminate every instance launched
#   spot_boot TAG_SPEC                            launch with capacity fallback, wait, ssh readiness, watchdog
#   setup: spot_bootstrap, spot_clone_repo, spot_ssh, spot_copy, run_remote_with_secret, run_remote
#   spot_resolve_remote_python NAME; spot_setup_done
#   phases: run_remote ARGS... <<'EOF'; spot_heartbeat METRIC
#
# Spot reclaim: when an ssh/scp call exits 255 and describe-instances says the instance is going or
# gone (shutting-down, terminated, stopping, stopped), the call's phase is not failed: the instance is
# terminated, a new one is launched and booted, every setup call made so far (bootstrap, clone, config,
# deps ...) is redone on it, and the interrupted call is retried; MAX_SPOT_ATTEMPTS instances in all.
# A remote failure with any other status, or 255 with the instance still running, is the workload's:
# the call returns that status and the run fails with it.
#
# Transport: SPOT_TRANSPORT=ssh (default: ssh/scp to the public IP) or ssm (Run Command and S3
# staging, for images with no port 22: _spot_transport_ssm.sh replaces the raw transport calls).
#
# Dispatcher tools used here: aws, ssh, scp, date (plus bash builtins, cat, mktemp and rm; base64 and
# basename with SPOT_TRANSPORT=ssm).

SPOT_LOG_TAG="${SPOT_LOG_TAG:-spot}"
SPOT_USER="ec2-user"

# ── Env knobs shared by the family (launchers/README.md) ─────────────────────

export AWS_REGION="${AWS_REGION:-us-east-1}"  # production guard: never run region-less
S3_BUCKET="${S3_BUCKET:-quant-research-data}"
SPOT_AMI="${SPOT_AMI:-ami-0abcdef1234567890}"
SPOT_INSTANCE_TYPES="${SPOT_INSTANCE_TYPES:-c6i.4xlarge c6a.4xlarge m6i.4xlarge}"
SPOT_KEY_NAME="${SPOT_KEY_NAME:-spot-batch}"
SPOT_SECURITY_GROUP="${SPOT_SECURITY_GROUP:-sg-0123456789abcdef0}"
SPOT_SUBNET="${SPOT_SUBNET:-subnet-0123456789abcdef0}"
SPOT_IAM_PROFILE="${SPOT_IAM_PROFILE:-spot-batch-role}"
SPOT_SSH_KEY="${SPOT_SSH_KEY:-$HOME/.ssh/spot-batch.pem}"
SPOT_WORKDIR="${SPOT_WORKDIR:-$PWD}"
WATCHDOG_MINUTES="${WATCHDOG_MINUTES:-240}"
SSH_READY_ATTEMPTS="${SSH_READY_ATTEMPTS:-30}"
MAX_SPOT_ATTEMPTS="${MAX_SPOT_ATTEMPTS:-2}"
GITHUB_ORG="${GITHUB_ORG:-quant-research}"

# ── Flags (every launcher takes the same ones) ───────────────────────────────

PREFLIGHT_ONLY=0  # MODIFIER, orthogonal to RUN_MODE: boot + deps + read-only smoke, then exit 0
RUN_MODE=full     # full | smoke-only
BRANCH=main
INSTANCE_TYPE_OVERRIDE=""
DRY_RUN=0
SKIP_STAGES=()

# Set by the launcher after sourcing this file.
SPOT_REPOS=()           # repos cloned to ~/REPO on the spot
SPOT_FULL_STAGES=()     # full-run stages, in order; --skip-stages is checked against them
SPOT_REQUIRED_FILES=()  # local files that must exist before anything is launched

# Derived by spot_finish_config.
INSTANCE_TYPES=()
RUN_STAGES=()

# ── Run state ────────────────────────────────────────────────────────────────

INSTANCE_ID=""          # the instance in use
SPOT_IP=""
SSH_OPTS=()
SPOT_STEP="start"       # the phase in progress, named in the failure log
SPOT_LAUNCHED=()        # every instance launched in this run (cleanup terminates them all)
SPOT_TERMINATED=()      # the ones already terminated (a reclaimed instance, on relaunch)
SPOT_TAG_SPEC=""
SPOT_ATTEMPT=0          # instances launched so far, counting relaunches
SPOT_RECORDING=0        # 1 during setup: successful transport calls are remembered for a relaunch
SPOT_SETUP_CALLS=()     # the remembered setup calls (%q-quoted), redone on a new instance
SPOT_SETUP_NAMES=()     # the step each one belonged to
SPOT_RECLAIM_STATE=""
SPOT_CHILD_PID=""       # the transport call in flight (cleanup stops it)
SPOT_TMPDIR=""          # heredoc scripts, kept for a relaunch
SPOT_SCRIPT_COUNT=0
SPOT_SCRIPT=""           # the file spot__new_script made
SPOT_QUOTED=""           # set by spot__quote
REMOTE_PYTHON=""        # set by spot_resolve_remote_python

# ── Logging and errors ───────────────────────────────────────────────────────

log() {
  printf '[%s] %s: %s\n' "$(date -u +%H:%M:%S)" "$SPOT_LOG_TAG" "$*" >&2
}

# die [CODE] MESSAGE...: log an error and exit (default code 1).
die() {
  local code=1
  if [[ ${1:-} =~ ^[0-9]+$ ]]; then
    code=$1
    shift
  fi
  log "ERROR: $*"
  exit "$code"
}

# spot_step NAME: logs NAME and remembers it, so a failure (even a bare set -e exit) names its phase.
spot_step() {
  SPOT_STEP=$1
  log "$1"
}

# Bad command line: message + hint on stderr, exit 2. No timestamp: nothing has started yet.
spot_usage_error() {
  printf '%s: error: %s\n' "$SPOT_LOG_TAG" "$*" >&2
  printf "Try '%s --help'.\n" "$SPOT_LOG_TAG" >&2
  exit 2
}

# ── Flag parsing helpers ─────────────────────────────────────────────────────

# spot_flag_value "$@": value of a valued flag given as `--flag value` or `--flag=value`.
# Sets SPOT_FLAG_VALUE and SPOT_FLAG_SHIFT (how many words the caller must shift).
spot_flag_value() {
  local word=$1
  if [[ $word == --*=* ]]; then
    SPOT_FLAG_VALUE=${word#*=}
    SPOT_FLAG_SHIFT=1
  elif [ $# -ge 2 ] && [[ $2 != --* ]]; then
    SPOT_FLAG_VALUE=$2
    SPOT_FLAG_SHIFT=2
  else
    spot_usage_error "${word%%=*} needs a value"
  fi
  [ -n "$SPOT_FLAG_VALUE" ] || spot_usage_error "${word%%=*} needs a non-empty value"
}

# spot_require_uint NAME VALUE: VALUE must be a positive integer (env knobs such as WATCHDOG_MINUTES).
spot_require_uint() {
  [[ $2 =~ ^[1-9][0-9]*$ ]] || spot_usage_error "$1 must be a positive integer, got '$2'"
}

# spot_split_csv VALUE: prints the non-empty comma-separated items of VALUE, one per line.
spot_split_csv() {
  local item items
  IFS=',' read -r -a items <<<"$1"
  for item in "${items[@]}"; do
    [ -n "$item" ] && printf '%s\n' "$item"
  done
  return 0
}

# spot_in_list WORD LIST...: true when WORD is one of LIST.
spot_in_list() {
  local word=$1 item
  shift
  for item in "$@"; do
    [ "$item" = "$word" ] && return 0
  done
  return 1
}

# spot_parse_skip_stages CSV: appends to SKIP_STAGES; a stage not in SPOT_FULL_STAGES is a usage error.
spot_parse_skip_stages() {
  local stage
  while IFS= read -r stage; do
    spot_in_list "$stage" "${SPOT_FULL_STAGES[@]}" \
      || spot_usage_error "unknown stage '$stage' in --skip-stages (known: ${SPOT_FULL_STAGES[*]})"
    SKIP_STAGES+=("$stage")
  done < <(spot_split_csv "$1")
}

# spot_parse_flags "$@": the family's flags; -h/--help calls the launcher's usage().
# shellcheck disable=SC2034  # DRY_RUN is read by the sourcing launcher
spot_parse_flags() {
  while [ $# -gt 0 ]; do
    case $1 in
      --preflight-only) PREFLIGHT_ONLY=1; shift ;;
      --smoke-only) RUN_MODE=smoke-only; shift ;;
      --dry-run) DRY_RUN=1; shift ;;
      -h | --help) usage; exit 0 ;;
      --mode | --mode=*)
        spot_flag_value "$@"; shift "$SPOT_FLAG_SHIFT"
        case $SPOT_FLAG_VALUE in
          full | smoke-only) RUN_MODE=$SPOT_FLAG_VALUE ;;
          *) spot_usage_error "unknown --mode '$SPOT_FLAG_VALUE' (expected full or smoke-only)" ;;
        esac ;;
      --branch | --branch=*)
        spot_flag_value "$@"; shift "$SPOT_FLAG_SHIFT"
        [[ $SPOT_FLAG_VALUE =~ ^[A-Za-z0-9._/-]+$ ]] || spot_usage_error "invalid --branch '$SPOT_FLAG_VALUE'"
        BRANCH=$SPOT_FLAG_VALUE ;;
      --instance-type | --instance-type=*)
        spot_flag_value "$@"; shift "$SPOT_FLAG_SHIFT"
        INSTANCE_TYPE_OVERRIDE=$SPOT_FLAG_VALUE ;;
      --skip-stages | --skip-stages=*)
        spot_flag_value "$@"; shift "$SPOT_FLAG_SHIFT"
        spot_parse_skip_stages "$SPOT_FLAG_VALUE" ;;
      --preflight-only=* | --smoke-only=* | --dry-run=* | --help=*)
        spot_usage_error "${1%%=*} takes no value" ;;
      -*) spot_usage_error "unknown flag '$1'" ;;
      *) spot_usage_error "unexpected argument '$1' (this launcher takes flags only)" ;;
    esac
  done
}

# spot_finish_config: checks the env knobs, resolves INSTANCE_TYPES and RUN_STAGES.
spot_finish_config() {
  local stage
  spot_require_uint WATCHDOG_MINUTES "$WATCHDOG_MINUTES"
  spot_require_uint SSH_READY_ATTEMPTS "$SSH_READY_ATTEMPTS"
  spot_require_uint MAX_SPOT_ATTEMPTS "$MAX_SPOT_ATTEMPTS"
  # The bucket is interpolated into S3 URLs and messages: only a valid bucket name gets that far.
  [[ $S3_BUCKET =~ ^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$ ]] || spot_usage_error "S3_BUCKET is not a bucket name: '$S3_BUCKET'"
  if [ -n "$INSTANCE_TYPE_OVERRIDE" ]; then
    INSTANCE_TYPES=("$INSTANCE_TYPE_OVERRIDE")
  else
    read -r -a INSTANCE_TYPES <<<"$SPOT_INSTANCE_TYPES"
  fi
  [ "${#INSTANCE_TYPES[@]}" -gt 0 ] || spot_usage_error "SPOT_INSTANCE_TYPES is empty"
  RUN_STAGES=()
  for stage in "${SPOT_FULL_STAGES[@]}"; do
    spot_in_list "$stage" "${SKIP_STAGES[@]}" || RUN_STAGES+=("$stage")
  done
}

# spot_stage_enabled STAGE: true unless --skip-stages named STAGE.
spot_stage_enabled() {
  spot_in_list "$1" "${RUN_STAGES[@]}"
}

# ── Dry run and local inputs ─────────────────────────────────────────────────

# spot_print_plan WHAT: the resolved plan; WHAT says what the mode runs.
spot_print_plan() {
  local file repo repos=""
  for repo in "${SPOT_REPOS[@]}"; do
    repos+="${repos:+, }$GITHUB_ORG/$repo"
  done
  printf '%s plan (dry run: no aws or ssh calls)\n' "$SPOT_LOG_TAG"
  printf '  run:              %s\n' "$1"
  printf '  preflight_only:   %s\n' "$PREFLIGHT_ONLY"
  printf '  run_mode:         %s\n' "$RUN_MODE"
  printf '  skip_stages:      %s\n' "${SKIP_STAGES[*]:-none}"
  printf '  branch:           %s (%s)\n' "$BRANCH" "$repos"
  printf '  region:           %s\n' "$AWS_REGION"
  printf '  ami:              %s\n' "$SPOT_AMI"
  printf '  instance_types:   %s\n' "${INSTANCE_TYPES[*]}"
  printf '  key/sg/subnet:    %s %s %s\n' "$SPOT_KEY_NAME" "$SPOT_SECURITY_GROUP" "$SPOT_SUBNET"
  printf '  iam_profile:      %s\n' "$SPOT_IAM_PROFILE"
  printf '  s3_bucket:        %s\n' "$S3_BUCKET"
  printf '  watchdog:         %s minutes\n' "$WATCHDOG_MINUTES"
  printf '  ssh_attempts:     %s (10 s apart)\n' "$SSH_READY_ATTEMPTS"
  printf '  spot_attempts:    %s (relaunches only when the spot is reclaimed)\n' "$MAX_SPOT_ATTEMPTS"
  for file in "${SPOT_REQUIRED_FILES[@]}"; do
    if [ -r "$file" ]; then
      printf '  requires:         %s (ok)\n' "$file"
    else
      printf '  requires:         %s (MISSING: a real run exits 2)\n' "$file"
    fi
  done
}

spot_require_file() {
  [ -f "$1" ] || die 2 "required file not found: $1"
  [ -r "$1" ] || die 2 "required file not readable: $1"
}

spot_require_files() {
  local file
  for file in "${SPOT_REQUIRED_FILES[@]}"; do
    spot_require_file "$file"
  done
}

# spot_log_start: one line with the resolved mode, before anything is launched.
spot_log_start() {
  log "mode=$RUN_MODE preflight_only=$PREFLIGHT_ONLY branch=$BRANCH region=$AWS_REGION" \
    "skip_stages=${SKIP_STAGES[*]:-none}"
}

# ── Cleanup: every instance launched is terminated, and the exit status is kept ─

# spot_terminate ID...: idempotent; a failure is only warned about (the watchdog is the backstop).
spot_terminate() {
  if aws ec2 terminate-instances --region "$AWS_REGION" --instance-ids "$@" >/dev/null; then
    SPOT_TERMINATED+=("$@")
    log "terminate requested for $*"
    return 0
  fi
  log "WARNING: could not terminate $*; terminate by hand" \
    "(the spot-side watchdog shuts it down at the latest after ${WATCHDOG_MINUTES}m)"
  return 1
}

spot_cleanup() {
  local rc=$? id live=()
  set +e
  trap '' TERM INT HUP  # a second signal must not cut the termination short
  if [ -n "$SPOT_CHILD_PID" ]; then
    kill "$SPOT_CHILD_PID" 2>/dev/null
    wait "$SPOT_CHILD_PID" 2>/dev/null
  fi
  if [ "$rc" -ne 0 ]; then
    log "FAILED with exit status $rc during: $SPOT_STEP"
  fi
  spot__transport_cleanup  # before the terminate: terminating is the run's last world call
  for id in "${SPOT_LAUNCHED[@]}"; do
    spot_in_list "$id" "${SPOT_TERMINATED[@]}" || live+=("$id")
  done
  if [ "${#live[@]}" -gt 0 ]; then
    log "cleanup: terminating ${live[*]} (exit status $rc)"
    spot_terminate "${live[@]}"
  elif [ "${#SPOT_LAUNCHED[@]}" -eq 0 ]; then
    log "cleanup: no instance was launched; nothing to terminate"
  fi
  if [ -n "$SPOT_TMPDIR" ]; then
    rm -rf "$SPOT_TMPDIR"
  fi
  exit "$rc"
}

# Signals become ordinary exits so the EXIT trap runs (128 + signal number, as bash reports it).
# Also creates the run's temp dir, so cleanup always removes it.
spot_arm_cleanup() {
  trap spot_cleanup EXIT
  trap 'log "received SIGTERM"; exit 143' TERM
  trap 'log "received SIGINT"; exit 130' INT
  trap 'log "received SIGHUP"; exit 129' HUP
  SPOT_TMPDIR=$(mktemp -d "${TMPDIR:-/tmp}/spot-launcher.XXXXXX") || die "could not create a temp dir"
}

# ── EC2 ──────────────────────────────────────────────────────────────────────

# spot_launch TYPE...: one-time spot instance of the first type with capacity.
# InsufficientInstanceCapacity moves on to the next type; any other error is fatal.
# Sets INSTANCE_ID directly (not via $(...)) so cleanup sees it as soon as it exists.
spot_launch() {
  local type err errfile="$SPOT_TMPDIR/run-instances.err"
  for type in "$@"; do
    spot_step "launch: $type spot instance ($SPOT_AMI in $AWS_REGION)"
    if INSTANCE_ID=$(aws ec2 run-instances --region "$AWS_REGION" \
      --image-id "$SPOT_AMI" \
      --instance-type "$type" \
      --key-name "$SPOT_KEY_NAME" \
      --security-group-ids "$SPOT_SECURITY_GROUP" \
      --subnet-id "$SPOT_SUBNET" \
      --iam-instance-profile "Name=$SPOT_IAM_PROFILE" \
      --instance-market-options 'MarketType=spot,SpotOptions={SpotInstanceType=one-time,InstanceInterruptionBehavior=terminate}' \
      --tag-specifications "$SPOT_TAG_SPEC" \
      --query 'Instances[0].InstanceId' --output text 2>"$errfile"); then
      [[ $INSTANCE_ID == i-* ]] || die "run-instances returned no instance id (got '$INSTANCE_ID')"
      SPOT_LAUNCHED+=("$INSTANCE_ID")
      log "launched $INSTANCE_ID ($type)"
      return 0
    fi
    INSTANCE_ID=""
    err=$(<"$errfile")
    err=${err#"${err%%[![:space:]]*}"}  # the CLI starts its error with a blank line
    if [[ $err == *InsufficientInstanceCapacity* ]]; then
      log "no spot capacity for $type (InsufficientInstanceCapacity); trying the next type"
      continue
    fi
    log "run-instances failed for $type: $err"
    if [[ $err == *InvalidAMIID.NotFound* ]]; then
      die "AMI $SPOT_AMI does not exist in $AWS_REGION (InvalidAMIID.NotFound): image gap? set SPOT_AMI"
    fi
    die "could not launch a spot instance from $SPOT_AMI ($type)"
  done
  die "no spot capacity (InsufficientInstanceCapacity) for any of the types tried: $*"
}

spot_wait_running() {
  spot_step "wait: $INSTANCE_ID instance-running"
  aws ec2 wait instance-running --region "$AWS_REGION" --instance-ids "$INSTANCE_ID" \
    || die "$INSTANCE_ID never reached running"
}

# Sets SPOT_IP and SSH_OPTS.
spot_resolve_ip() {
  SPOT_IP=$(aws ec2 describe-instances --region "$AWS_REGION" --instance-ids "$INSTANCE_ID" \
    --query 'Reservations[0].Instances[0].PublicIpAddress' --output text) \
    || die "describe-instances failed for $INSTANCE_ID"
  if [ -z "$SPOT_IP" ] || [ "$SPOT_IP" = "None" ]; then
    die "$INSTANCE_ID has no public IP address"
  fi
  SSH_OPTS=(-i "$SPOT_SSH_KEY" -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null
    -o ConnectTimeout=10 -o BatchMode=yes -o LogLevel=ERROR)
  log "$INSTANCE_ID is at $SPOT_IP"
}

# spot_reclaimed: true when INSTANCE_ID is going or gone (sets SPOT_RECLAIM_STATE). Asked only after
# a transport call exited 255, to tell a reclaimed spot from a failure on a live one.
spot_reclaimed() {
  local state
  SPOT_RECLAIM_STATE=""
  if ! state=$(aws ec2 describe-instances --region "$AWS_REGION" --instance-ids "$INSTANCE_ID" \
    --query 'Reservations[0].Instances[0].State.Name' --output text); then
    log "$SPOT_TRANSPORT exit 255, and describe-instances failed for $INSTANCE_ID: not treated as a reclaim"
    return 1
  fi
  state=${state//[[:space:]]/}
  case $state in
    shutting-down | terminated | stopping | stopped)
      SPOT_RECLAIM_STATE=$state
      return 0 ;;
  esac
  log "$SPOT_TRANSPORT exit 255 while $INSTANCE_ID is still ${state:-unknown}: a failure, not a reclaim"
  return 1
}

# ── ssh transport ────────────────────────────────────────────────────────────

# spot__bg CMD...: runs CMD in the background and waits, so a TERM/INT/HUP trap runs at once
# rather than after a long remote step; cleanup stops it. `<&0` keeps the caller's stdin.
spot__bg() {
  local rc=0
  "$@" <&0 &
  SPOT_CHILD_PID=$!
  wait "$SPOT_CHILD_PID" || rc=$?
  SPOT_CHILD_PID=""
  return "$rc"
}

# Raw transport calls: one ssh/scp each, built from the current SPOT_IP (so they can be redone).
# shellcheck disable=SC2029  # remote commands are built here and run there
spot__ssh() {
  spot__bg ssh "${SSH_OPTS[@]}" "$SPOT_USER@$SPOT_IP" "$@" </dev/null
}

# shellcheck disable=SC2029
spot__ssh_agent() {
  spot__bg ssh -A "${SSH_OPTS[@]}" "$SPOT_USER@$SPOT_IP" "$@" </dev/null
}

# spot__ssh_out FILE CMD: CMD's stdout into FILE.
# shellcheck disable=SC2029
spot__ssh_out() {
  local out=$1
  shift
  spot__bg ssh "${SSH_OPTS[@]}" "$SPOT_USER@$SPOT_IP" "$@" </dev/null >"$out"
}

# spot__quote ARGS...: SPOT_QUOTED=" ARG1 ARG2 ...", each %q-quoted: a remote shell gets one command
# line (ssh's, or a Run Command step's), not an argv.
spot__quote() {
  local arg quoted
  SPOT_QUOTED=""
  for arg in "$@"; do
    printf -v quoted '%q' "$arg"
    SPOT_QUOTED+=" $quoted"
  done
}

# spot__run_script FILE ARGS...: FILE is bash's script on the spot, ARGS its $1, $2, ...
# shellcheck disable=SC2029
spot__run_script() {
  local file=$1
  shift
  spot__quote "$@"
  spot__bg ssh "${SSH_OPTS[@]}" "$SPOT_USER@$SPOT_IP" "bash -s --$SPOT_QUOTED" <"$file"
}

spot__scp() {
  spot__bg scp "${SSH_OPTS[@]}" "$1" "$SPOT_USER@$SPOT_IP:~/$2" </dev/null
}

# spot_transport RAW ARGS...: one raw transport call, surviving a spot reclaim (see the top of
# this file). Returns the call's own status otherwise; the caller decides what a failure means.
spot_transport() {
  local rc step=$SPOT_STEP entry
  while :; do
    rc=0
    "$@" || rc=$?
    if [ "$rc" -eq 0 ]; then
      if [ "$SPOT_RECORDING" = 1 ]; then
        printf -v entry '%q ' "$@"
        SPOT_SETUP_CALLS+=("$entry")
        SPOT_SETUP_NAMES+=("$step")
      fi
      return 0
    fi
    if [ "$rc" -ne 255 ] || ! spot_reclaimed; then
      return "$rc"
    fi
    spot_relaunch
    SPOT_STEP=$step
    log "retrying on $INSTANCE_ID: $step"
  done
}

# spot_relaunch: after a reclaim, a new instance with the whole setup redone; dies when the
# attempts are used up. A reclaim while redoing the setup starts over on yet another instance.
spot_relaunch() {
  local gone=$INSTANCE_ID state=$SPOT_RECLAIM_STATE
  while :; do
    if [ "$SPOT_ATTEMPT" -ge "$MAX_SPOT_ATTEMPTS" ]; then
      spot_terminate "$gone"
      die 255 "spot instance $gone was reclaimed (state $state) and all $MAX_SPOT_ATTEMPTS attempts are used"
    fi
    SPOT_ATTEMPT=$((SPOT_ATTEMPT + 1))
    log "spot instance $gone was reclaimed (state $state); relaunching (attempt $SPOT_ATTEMPT of $MAX_SPOT_ATTEMPTS)"
    spot_terminate "$gone"
    spot__boot_instance
    if spot__redo_setup; then
      return 0
    fi
    gone=$INSTANCE_ID state=$SPOT_RECLAIM_STATE
  done
}

# spot__redo_setup: the remembered setup calls on the new instance; 1 when it is reclaimed too.
spot__redo_setup() {
  local i rc
  for i in "${!SPOT_SETUP_CALLS[@]}"; do
    spot_step "redo on $INSTANCE_ID: ${SPOT_SETUP_NAMES[i]}"
    rc=0
    eval "${SPOT_SETUP_CALLS[i]}" || rc=$?
    [ "$rc" -eq 0 ] && continue
    if [ "$rc" -eq 255 ] && spot_reclaimed; then
      return 1
    fi
    die "$rc" "redoing '${SPOT_SETUP_NAMES[i]}' on $INSTANCE_ID failed with exit status $rc"
  done
  return 0
}

# spot_wait_ssh ATTEMPTS: poll sshd, 10 s apart, until `true` runs on the spot.
spot_wait_ssh() {
  local attempts=$1 attempt err=""
  SPOT_STEP="ssh readiness"
  for ((attempt = 1; attempt <= attempts; attempt++)); do
    if err=$(ssh "${SSH_OPTS[@]}" "$SPOT_USER@$SPOT_IP" true </dev/null 2>&1 >/dev/null); then
      log "ssh ready after $attempt attempt(s)"
      return 0
    fi
    log "ssh not ready ($attempt/$attempts)"
    if [ "$attempt" -lt "$attempts" ]; then
      sleep 10
    fi
  done
  die "ssh to $SPOT_IP ($INSTANCE_ID) never became ready after $attempts attempts (last error: ${err:-none})"
}

# The spot powers itself off after MINUTES even if this dispatcher dies (SIGKILL, lost laptop).
spot_install_watchdog() {
  local minutes=$1
  spot_step "watchdog: spot-side shutdown in ${minutes}m"
  spot__ssh "sudo systemd-run --on-active=${minutes}m /sbin/shutdown -h now" \
    || die "could not install the spot-side watchdog"
}

# spot__connect: the spot answers the transport (ssh: its address, then sshd).
spot__connect() {
  spot_resolve_ip
  spot_wait_ssh "$SSH_READY_ATTEMPTS"
}

# spot__transport_cleanup: what the transport leaves to remove at exit (ssh: nothing).
spot__transport_cleanup() {
  :
}

spot__boot_instance() {
  spot_launch "${INSTANCE_TYPES[@]}"
  spot_wait_running
  spot__connect
  spot_install_watchdog "$WATCHDOG_MINUTES"
}

# spot_boot TAG_SPEC: the first instance, booted; from here until spot_setup_done, every successful
# transport call is remembered so a relaunch can redo it.
spot_boot() {
  SPOT_TAG_SPEC=$1
  SPOT_ATTEMPT=1
  spot__boot_instance
  SPOT_RECORDING=1
}

# spot_setup_done: the setup is complete; later calls are phases (retried, never redone).
spot_setup_done() {
  SPOT_RECORDING=0
}

# ── Remote steps ─────────────────────────────────────────────────────────────

# spot__new_script: a fresh file for one heredoc (kept: a relaunch may send it again).
spot__new_script() {
  SPOT_SCRIPT_COUNT=$((SPOT_SCRIPT_COUNT + 1))
  SPOT_SCRIPT="$SPOT_TMPDIR/remote-$SPOT_SCRIPT_COUNT.sh"
}

# run_remote ARGS... <<'EOF': runs the heredoc with bash on the spot, ARGS as $1, $2, ...
# The spot has none of this shell's variables: pass every value the heredoc needs as an ARG.
# shellcheck disable=SC2120  # the ARGS are optional
run_remote() {
  spot__new_script
  cat >"$SPOT_SCRIPT" || die "could not save the remote script"
  spot_transport spot__run_script "$SPOT_SCRIPT" "$@"
}

# Prepended by run_remote_with_secret: reads the SSM parameter with a 60 s budget (a hung call
# must fail the step, not the Saturday), exports it, and optionally keeps it for later steps.
# shellcheck disable=SC2016  # expanded on the spot, not here
readonly SPOT_SECRET_PRELUDE='set -euo pipefail
# prelude (run_remote_with_secret): $1 region, $2 SSM parameter, $3 variable, $4 file to keep it in
spot_region=$1 spot_param=$2 spot_var=$3 spot_keep=$4
shift 4
export AWS_REGION=$spot_region AWS_DEFAULT_REGION=$spot_region
spot_rc=0
spot_value=$(timeout 60 aws ssm get-parameter --region "$spot_region" --name "$spot_param" \
  --with-decryption --query Parameter.Value --output text) || spot_rc=$?
if [ "$spot_rc" -eq 124 ]; then
  echo "deps: ERROR: SSM get-parameter $spot_param timed out after 60s" >&2
  exit 124
elif [ "$spot_rc" -ne 0 ]; then
  echo "deps: ERROR: SSM get-parameter $spot_param failed (aws exit $spot_rc)" >&2
  exit 1
elif [ -z "$spot_value" ] || [ "$spot_value" = "None" ]; then
  echo "deps: ERROR: SSM parameter $spot_param is empty" >&2
  exit 1
fi
export "$spot_var=$spot_value"
if [ -n "$spot_keep" ]; then
  (umask 077 && printf "%s=%q\n" "$spot_var" "$spot_value" >"$HOME/$spot_keep")
fi
unset spot_value spot_rc
# ── the step ──'

# run_remote_with_secret PARAM VAR KEEP ARGS... <<'EOF': like run_remote, with the SSM parameter
# PARAM exported as VAR; KEEP (a path under ~, or "") also stores VAR=value there, mode 600, for
# later workload steps to source. ARGS are the heredoc's $1, $2, ...
run_remote_with_secret() {
  local param=$1 var=$2 keep=$3
  shift 3
  [[ $var =~ ^[A-Z_][A-Z0-9_]*$ ]] || die "run_remote_with_secret: bad variable name '$var'"
  spot__new_script
  { printf '%s\n' "$SPOT_SECRET_PRELUDE" && cat; } >"$SPOT_SCRIPT" || die "could not save the remote script"
  spot_transport spot__run_script "$SPOT_SCRIPT" "$AWS_REGION" "$param" "$var" "$keep" "$@"
}

# spot_ssh CMD...: one ssh command on the spot, stdin detached (it must not eat the caller's).
spot_ssh() {
  spot_transport spot__ssh "$@"
}

# spot_copy LOCAL PATH: scp one file to ~/PATH on the spot (PATH ending in / = into that directory).
spot_copy() {
  spot_step "copy: $1 -> $SPOT_USER@$SPOT_IP:~/$2"
  spot_transport spot__scp "$1" "$2" || die "could not copy $1 to the spot"
}

# spot_clone_repo ORG REPO BRANCH: shallow clone to ~/REPO over ssh (agent-forwarded), else https.
spot_clone_repo() {
  local org=$1 repo=$2 branch
  printf -v branch '%q' "$3"
  spot_step "clone: $org/$repo@$3"
  if spot_transport spot__ssh_agent "git clone --depth 1 --branch $branch git@github.com:$org/$repo.git ~/$repo"; then
    return 0
  fi
  log "ssh clone of $repo failed; falling back to https"
  spot_transport spot__ssh "git clone --depth 1 --branch $branch https://github.com/$org/$repo.git ~/$repo" \
    || die "could not clone $org/$repo (branch $3)"
}

# spot_clone_repos: every repo in SPOT_REPOS at BRANCH.
spot_clone_repos() {
  local repo
  for repo in "${SPOT_REPOS[@]}"; do
    spot_clone_repo "$GITHUB_ORG" "$repo" "$BRANCH"
  done
}

# spot_bootstrap: OS packages and github's host key (the same image for every module).
spot_bootstrap() {
  spot_step "bootstrap: dnf packages, github host key"
  # shellcheck disable=SC2119  # no ARGS: the heredoc needs none
  run_remote <<'EOF' || die "$?" "bootstrap failed on $INSTANCE_ID"
set -euo pipefail
sudo dnf install -y git python3.12 python3.12-pip
mkdir -p ~/.ssh
chmod 700 ~/.ssh
# A failed keyscan only costs the ssh clone; the https fallback still works.
ssh-keyscan github.com >> ~/.ssh/known_hosts || echo "bootstrap: WARNING: ssh-keyscan github.com failed" >&2
EOF
}

# spot_resolve_remote_python NAME: sets REMOTE_PYTHON to NAME's path on the spot (read-only: never redone).
spot_resolve_remote_python() {
  local out="$SPOT_TMPDIR/remote-python.out" recording=$SPOT_RECORDING rc=0
  spot_step "resolve remote python"
  SPOT_RECORDING=0
  spot_transport spot__ssh_out "$out" "command -v $1" || rc=$?
  SPOT_RECORDING=$recording
  REMOTE_PYTHON=$(<"$out")
  REMOTE_PYTHON=${REMOTE_PYTHON//$'\r'/}
  REMOTE_PYTHON=${REMOTE_PYTHON%%$'\n'*}
  if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
    die "$rc" "could not resolve $1 on the spot (ssh exit $rc)"
  fi
  [ -n "$REMOTE_PYTHON" ] || die "$1 not found on the spot (image gap?)"
  log "remote python: $REMOTE_PYTHON"
}

# ── Dispatcher-side stages ───────────────────────────────────────────────────

# spot_heartbeat METRIC MODULE: the run's final CloudWatch heartbeat.
spot_heartbeat() {
  spot_step "heartbeat: $1"
  aws cloudwatch put-metric-data --region "$AWS_REGION" --namespace QuantResearch/Spot \
    --metric-name "$1" --value 1 --unit Count --dimensions "Module=$2" \
    || die "could not put the $1 metric"
}

# ── Transport choice (after the ssh transport's definitions, which ssm replaces) ─

SPOT_TRANSPORT="${SPOT_TRANSPORT:-ssh}"
case $SPOT_TRANSPORT in
  ssh) ;;
  ssm)
    # shellcheck source=_spot_transport_ssm.sh
    . "$(dirname "${BASH_SOURCE[0]}")/_spot_transport_ssm.sh" ;;
  *)
    printf '%s: SPOT_TRANSPORT must be ssh or ssm, got %q\n' "$SPOT_LOG_TAG" "$SPOT_TRANSPORT" >&2
    exit 2 ;;
esac
