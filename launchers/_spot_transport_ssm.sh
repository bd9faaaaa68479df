# shellcheck shell=bash
# shellcheck disable=SC2034  # SPOT_IP and SPOT_STEP are _spot_common.sh's
# _spot_transport_ssm.sh: the spot transport over AWS Systems Manager Run Command, for images with no
# port 22 (sourced by _spot_common.sh when SPOT_TRANSPORT=ssm; it replaces the ssh transport's raw
# calls and nothing else, so reclaim, relaunch, setup redo and cleanup are the family's).
#
#   connect   `ssm describe-instance-information --filters Key=InstanceIds,Values=ID` until the agent's
#             PingStatus is Online (SSH_READY_ATTEMPTS tries, `sleep 10` between)
#   a step    the command line, base64-wrapped, as `ssm send-command --document-name AWS-RunShellScript
#             --parameters file://...` (executionTimeout SPOT_SSM_STEP_TIMEOUT), then
#             `ssm get-command-invocation --query [Status,ResponseCode]` every SPOT_SSM_POLL_SECONDS until
#             it ends, then its StandardOutputContent and StandardErrorContent
#   a copy    `aws s3 cp FILE s3://S3_BUCKET/tmp/spot-<first instance>/FILE` and a step that copies it
#             down; cleanup removes the staging prefix (`aws s3 rm --recursive`)
#
# The agent runs steps as root with no HOME, in /usr/bin: each step first becomes ec2-user's login
# directory (HOME=/home/ec2-user, cd ~), so the family's remote scripts run unchanged.
# Exit status of a step: Success 0, Failed its ResponseCode; TimedOut, Cancelled, an undeliverable
# command or an invocation that never shows up are the transport's failure, 255, which the family
# tells from a reclaim by asking describe-instances, as for ssh.

SPOT_SSM_POLL_SECONDS="${SPOT_SSM_POLL_SECONDS:-5}"
SPOT_SSM_STEP_TIMEOUT="${SPOT_SSM_STEP_TIMEOUT:-3600}"
SPOT_SSM_MISSING_POLLS=5  # InvocationDoesNotExist right after send-command: eventual consistency
SPOT_SSM_LIVENESS_POLLS=12  # an instance gone mid-step never reports back: look at it every 12 polls
SPOT_STAGING=""           # s3://bucket/tmp/spot-<first instance>, set by the first copy

# spot__connect: the agent of INSTANCE_ID is Online (Run Command needs no address).
spot__connect() {
  local attempt status err=""
  SPOT_IP=$INSTANCE_ID
  SPOT_STEP="ssm agent readiness"
  for ((attempt = 1; attempt <= SSH_READY_ATTEMPTS; attempt++)); do
    if status=$(aws ssm describe-instance-information --region "$AWS_REGION" \
      --filters "Key=InstanceIds,Values=$INSTANCE_ID" \
      --query 'InstanceInformationList[0].PingStatus' --output text 2>"$SPOT_TMPDIR/ssm.err"); then
      status=${status//[[:space:]]/}
      if [ "$status" = Online ]; then
        log "ssm agent online after $attempt attempt(s)"
        return 0
      fi
      err="PingStatus ${status:-None}"
    else
      err=$(<"$SPOT_TMPDIR/ssm.err")
      err=${err#"${err%%[![:space:]]*}"}
    fi
    log "ssm agent not online ($attempt/$SSH_READY_ATTEMPTS): $err"
    if [ "$attempt" -lt "$SSH_READY_ATTEMPTS" ]; then
      sleep 10
    fi
  done
  die "the ssm agent of $INSTANCE_ID never came Online after $SSH_READY_ATTEMPTS attempts (last: ${err:-none})"
}

# spot__ssm_invocation QUERY: get-command-invocation of SPOT_SSM_COMMAND, --output text.
spot__ssm_invocation() {
  aws ssm get-command-invocation --region "$AWS_REGION" --command-id "$SPOT_SSM_COMMAND" \
    --instance-id "$INSTANCE_ID" --query "$1" --output text
}

# spot__ssm_instance_gone: INSTANCE_ID is going or gone (a reclaimed spot's agent never reports back).
spot__ssm_instance_gone() {
  local state
  state=$(aws ec2 describe-instances --region "$AWS_REGION" --instance-ids "$INSTANCE_ID" \
    --query 'Reservations[0].Instances[0].State.Name' --output text) || return 1
  case ${state//[[:space:]]/} in
    shutting-down | terminated | stopping | stopped) return 0 ;;
  esac
  return 1
}

# spot__ssm_wait: polls SPOT_SSM_COMMAND until it ends; prints "Status ResponseCode"; 1 when the
# invocation never shows up or cannot be read, or the instance went away under it.
spot__ssm_wait() {
  local answer missing=0 polls=0
  while :; do
    sleep "$SPOT_SSM_POLL_SECONDS"
    polls=$((polls + 1))
    if [ $((polls % SPOT_SSM_LIVENESS_POLLS)) -eq 0 ] && spot__ssm_instance_gone; then
      log "ssm: $INSTANCE_ID went away during command $SPOT_SSM_COMMAND"
      return 1
    fi
    if ! answer=$(spot__ssm_invocation '[Status,ResponseCode]' 2>"$SPOT_TMPDIR/ssm.err"); then
      if grep -q InvocationDoesNotExist "$SPOT_TMPDIR/ssm.err" && [ "$missing" -lt "$SPOT_SSM_MISSING_POLLS" ]; then
        missing=$((missing + 1))
        continue
      fi
      log "ssm: could not read command $SPOT_SSM_COMMAND on $INSTANCE_ID: $(<"$SPOT_TMPDIR/ssm.err")"
      return 1
    fi
    read -r -a answer <<<"$answer"
    case ${answer[0]} in
      Pending | InProgress | Delayed | Cancelling) continue ;;
    esac
    printf '%s %s\n' "${answer[0]}" "${answer[1]:--1}"
    return 0
  done
}

# spot__ssm_step SCRIPT TAIL: runs `echo <SCRIPT, base64> | base64 -d | bash TAIL` on the spot as
# ec2-user's login would; its output comes back on this shell's stdout and stderr.
spot__ssm_step() {
  local b64 tail=$2 params="$SPOT_TMPDIR/ssm-parameters.json" status out err
  b64=$(printf '%s' "$1" | base64 -w0)
  tail=${tail//\\/\\\\}  # JSON: backslashes (from %q), then quotes
  tail=${tail//\"/\\\"}
  printf '{"commands":["export HOME=/home/ec2-user USER=ec2-user; cd ~ && echo %s | base64 -d | bash%s"],"executionTimeout":["%s"]}\n' \
    "$b64" "$tail" "$SPOT_SSM_STEP_TIMEOUT" >"$params"
  if ! SPOT_SSM_COMMAND=$(aws ssm send-command --region "$AWS_REGION" --instance-ids "$INSTANCE_ID" \
    --document-name AWS-RunShellScript --parameters "file://$params" \
    --query Command.CommandId --output text); then
    return 255
  fi
  status=$(spot__ssm_wait) || return 255
  out=$(spot__ssm_invocation StandardOutputContent) || return 255
  err=$(spot__ssm_invocation StandardErrorContent) || return 255
  [ -z "$out" ] || printf '%s\n' "$out"
  [ -z "$err" ] || printf '%s\n' "$err" >&2
  case ${status%% *} in
    Success) return 0 ;;
    Failed) return "${status#* }" ;;
  esac
  log "ssm: step ${status%% *} on $INSTANCE_ID (command $SPOT_SSM_COMMAND)"
  return 255
}

# The raw transport calls of _spot_common.sh, over Run Command.
spot__ssh() {
  spot__bg spot__ssm_step "$*" "" </dev/null
}

spot__ssh_agent() {  # no agent forwarding over Run Command: the same as spot__ssh
  spot__ssh "$@"
}

spot__ssh_out() {
  local out=$1
  shift
  spot__bg spot__ssm_step "$*" "" </dev/null >"$out"
}

spot__run_script() {
  local file=$1
  shift
  spot__quote "$@"
  spot__bg spot__ssm_step "$(<"$file")" " -s --$SPOT_QUOTED" </dev/null
}

# spot__scp FILE PATH: FILE to ~/PATH on the spot through the run's S3 staging prefix.
spot__scp() {
  local name
  name=$(basename "$1")
  [ -n "$SPOT_STAGING" ] || SPOT_STAGING="s3://$S3_BUCKET/tmp/spot-${SPOT_LAUNCHED[0]}"
  aws s3 cp --region "$AWS_REGION" --only-show-errors "$1" "$SPOT_STAGING/$name" </dev/null || return 1
  spot__bg spot__ssm_step "aws s3 cp --region $AWS_REGION --only-show-errors $SPOT_STAGING/$name ~/$2" "" </dev/null
}

# Cleanup: the staging prefix goes with the run (a failure is only warned about).
spot__transport_cleanup() {
  [ -n "$SPOT_STAGING" ] || return 0
  aws s3 rm --region "$AWS_REGION" --recursive --only-show-errors "$SPOT_STAGING/" \
    || log "WARNING: could not remove the staging prefix $SPOT_STAGING/"
}
