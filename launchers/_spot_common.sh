# shellcheck shell=bash
# _spot_common.sh: shared machinery of the spot launcher family (sourced, never executed).
#
# A launcher sources this file, sets SPOT_LOG_TAG, parses its flags with spot_flag_value /
# spot_usage_error, then calls the phases in order:
#   spot_require_file ...            local inputs, exit 2 when missing
#   spot_step NAME                   log + remember the phase (failures name it)
#   spot_arm_cleanup                 EXIT/TERM/INT/HUP traps; terminates whatever gets launched
#   spot_launch TAGS TYPE...         run-instances with capacity fallback -> INSTANCE_ID
#   spot_wait_running / spot_resolve_ip / spot_wait_ssh / spot_install_watchdog
#   run_remote ARGS... <<'EOF'       remote bash heredoc; ARGS become $1.. on the spot
#   spot_copy LOCAL PATH             scp to ~/PATH on the spot
#
# Dispatcher tools used here: aws, ssh, scp, sleep, date (plus bash builtins and mktemp/rm).

SPOT_LOG_TAG="${SPOT_LOG_TAG:-spot}"
SPOT_USER="ec2-user"
INSTANCE_ID=""
SPOT_IP=""
SPOT_STEP="start"  # the phase in progress, named in the failure log
SSH_OPTS=()

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
# shellcheck disable=SC2034  # both are read by the sourcing launcher
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

# ── Local inputs ─────────────────────────────────────────────────────────────

spot_require_file() {
  [ -f "$1" ] || die 2 "required file not found: $1"
  [ -r "$1" ] || die 2 "required file not readable: $1"
}

# ── Cleanup: whatever was launched is terminated, and the exit status is kept ─

spot_cleanup() {
  local rc=$?
  set +e
  if [ "$rc" -ne 0 ]; then
    log "FAILED with exit status $rc during: $SPOT_STEP"
  fi
  if [[ $INSTANCE_ID == i-* ]]; then
    log "cleanup: terminating $INSTANCE_ID (exit status $rc)"
    if aws ec2 terminate-instances --region "$AWS_REGION" --instance-ids "$INSTANCE_ID" >/dev/null; then
      log "cleanup: terminate requested for $INSTANCE_ID"
    else
      log "WARNING: cleanup could not terminate $INSTANCE_ID; terminate it by hand" \
        "(the spot-side watchdog shuts it down at the latest after ${WATCHDOG_MINUTES:-?}m)"
    fi
  fi
  exit "$rc"
}

# Signals become ordinary exits so the EXIT trap runs (128 + signal number, as bash reports it).
spot_arm_cleanup() {
  trap spot_cleanup EXIT
  trap 'log "received SIGTERM"; exit 143' TERM
  trap 'log "received SIGINT"; exit 130' INT
  trap 'log "received SIGHUP"; exit 129' HUP
}

# ── EC2 ──────────────────────────────────────────────────────────────────────

# spot_launch TAG_SPEC TYPE...: one-time spot instance of the first type with capacity.
# InsufficientInstanceCapacity moves on to the next type; any other error is fatal.
# Sets INSTANCE_ID directly (not via $(...)) so cleanup sees it as soon as it exists.
spot_launch() {
  local tag_spec=$1 type errfile err
  shift
  errfile=$(mktemp)
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
      --tag-specifications "$tag_spec" \
      --query 'Instances[0].InstanceId' --output text 2>"$errfile"); then
      rm -f "$errfile"
      [[ $INSTANCE_ID == i-* ]] || die "run-instances returned no instance id (got '$INSTANCE_ID')"
      log "launched $INSTANCE_ID ($type)"
      return 0
    fi
    INSTANCE_ID=""
    err=$(<"$errfile")
    if [[ $err == *InsufficientInstanceCapacity* ]]; then
      log "no spot capacity for $type (InsufficientInstanceCapacity); trying the next type"
      continue
    fi
    rm -f "$errfile"
    log "run-instances failed for $type: $err"
    die "could not launch a spot instance"
  done
  rm -f "$errfile"
  die "no spot capacity for any of: $*"
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

# ── ssh transport ────────────────────────────────────────────────────────────

# spot_ssh ARGS...: one ssh command on the spot, stdin detached (it must not eat the caller's).
spot_ssh() {
  # shellcheck disable=SC2029  # the command is meant to be built here and run there
  ssh "${SSH_OPTS[@]}" "$SPOT_USER@$SPOT_IP" "$@" </dev/null
}

# spot_wait_ssh ATTEMPTS: poll sshd, 10 s apart, until `true` runs on the spot.
spot_wait_ssh() {
  local attempts=$1 attempt
  SPOT_STEP="ssh readiness"
  for ((attempt = 1; attempt <= attempts; attempt++)); do
    if ssh "${SSH_OPTS[@]}" "$SPOT_USER@$SPOT_IP" true </dev/null 2>/dev/null; then
      log "ssh ready after $attempt attempt(s)"
      return 0
    fi
    log "ssh not ready ($attempt/$attempts)"
    if [ "$attempt" -lt "$attempts" ]; then
      sleep 10
    fi
  done
  die "ssh to $SPOT_IP never became ready after $attempts attempts"
}

# The spot powers itself off after MINUTES even if this dispatcher dies (SIGKILL, lost laptop).
spot_install_watchdog() {
  local minutes=$1
  spot_step "watchdog: spot-side shutdown in ${minutes}m"
  spot_ssh "sudo systemd-run --on-active=${minutes}m /sbin/shutdown -h now" \
    || die "could not install the spot-side watchdog"
}

# run_remote ARGS... <<'EOF': runs the heredoc with bash on the spot, ARGS as $1, $2, ...
# The spot has none of this shell's variables: pass every value the heredoc needs as an ARG.
# ARGS are %q-quoted because ssh hands the remote shell one command line.
run_remote() {
  local cmd="bash -s --" arg
  for arg in "$@"; do
    cmd+=" $(printf '%q' "$arg")"
  done
  # shellcheck disable=SC2029  # $cmd carries the %q-quoted ARGS to the remote shell
  ssh "${SSH_OPTS[@]}" "$SPOT_USER@$SPOT_IP" "$cmd"
}

# spot_copy LOCAL PATH: scp one file to ~/PATH on the spot (PATH ending in / = into that directory).
spot_copy() {
  local dest="$SPOT_USER@$SPOT_IP:~/$2"
  spot_step "copy: $1 -> $dest"
  scp "${SSH_OPTS[@]}" "$1" "$dest" </dev/null || die "could not copy $1 to the spot"
}

# spot_clone_repo ORG REPO BRANCH: shallow clone to ~/REPO over ssh (agent-forwarded), else https.
spot_clone_repo() {
  local org=$1 repo=$2 branch
  branch=$(printf '%q' "$3")
  spot_step "clone: $org/$repo@$3"
  if ssh -A "${SSH_OPTS[@]}" "$SPOT_USER@$SPOT_IP" \
    "git clone --depth 1 --branch $branch git@github.com:$org/$repo.git ~/$repo" </dev/null; then
    return 0
  fi
  log "ssh clone of $repo failed; falling back to https"
  spot_ssh "git clone --depth 1 --branch $branch https://github.com/$org/$repo.git ~/$repo" \
    || die "could not clone $org/$repo (branch $3)"
}
