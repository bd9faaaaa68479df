#!/usr/bin/env bash
# spot_backtest.sh: runs the backtester (backtest -> parity -> evaluate) on a one-time EC2 spot instance.
#
# Boots the spot, installs deps, uploads local config, then either:
#   --preflight-only   the read-only bootstrap smoke (backtest.py --mode=smoke), then exit 0
#   --smoke-only       the per-phase smoke harness + frozen diagnostics, then exit 0
#   (default, full)    backtest --upload, PIT parity, evaluate --upload, CloudWatch heartbeat
# The instance is terminated on every exit path (trap), and a spot-side watchdog powers it off
# even if this dispatcher dies. See launchers/README.md for flags, env knobs and requirements.
set -euo pipefail

SPOT_LOG_TAG="spot_backtest.sh"
# shellcheck source=_spot_common.sh
. "$(dirname "${BASH_SOURCE[0]}")/_spot_common.sh"

# ── Configuration (env knobs) ────────────────────────────────────────────────

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
GITHUB_ORG="${GITHUB_ORG:-quant-research}"

readonly SSM_TOKEN_PARAM="/quant/github-token"
readonly TAG_SPEC='ResourceType=instance,Tags=[{Key=Name,Value=spot-backtest},{Key=module,Value=backtester}]'
readonly REPOS=(backtester predictor)
readonly FULL_STAGES=(backtest parity evaluate)
readonly SMOKE_PHASES=(smoke-simulate smoke-param-sweep smoke-predictor-backtest smoke-phase4
  smoke-predictor-param-sweep)
# Sourced on the spot before every workload: exports the uploaded .env.
readonly ENV_SOURCE='set -a; . ~/backtester/.env; set +a'

# ── Flags ────────────────────────────────────────────────────────────────────

PREFLIGHT_ONLY=0  # MODIFIER, orthogonal to RUN_MODE: boot + deps + read-only smoke, then exit 0
RUN_MODE=full     # full | smoke-only
BRANCH=main
INSTANCE_TYPE_OVERRIDE=""
DRY_RUN=0
SKIP_STAGES=()

usage() {
  cat <<EOF
Usage: spot_backtest.sh [options]

Runs the backtester on a one-time EC2 spot instance that is always terminated on exit.

Options:
  --preflight-only        boot, install deps, run 'backtest.py --mode=smoke' (read-only), exit 0;
                          combines with any --mode (it wins: nothing after the smoke runs)
  --smoke-only            same as --mode smoke-only
  --mode MODE             full (default) or smoke-only (per-phase smoke + frozen diagnostics)
  --branch NAME           branch of the backtester and predictor repos (default: main)
  --instance-type TYPE    use only TYPE instead of the fallback list \$SPOT_INSTANCE_TYPES
  --skip-stages A,B       skip full-run stages; known: ${FULL_STAGES[*]}
  --dry-run               print the resolved plan and exit 0; calls neither aws nor ssh
  -h, --help              show this help

Valued options also accept --option=value. Environment knobs: see launchers/README.md.
Exit status: 0 success, 2 bad usage or missing local file, other non-zero: the run failed.
EOF
}

# parse_skip_stages CSV: appends to SKIP_STAGES; an unknown stage is a usage error.
parse_skip_stages() {
  local stage
  while IFS= read -r stage; do
    spot_in_list "$stage" "${FULL_STAGES[@]}" \
      || spot_usage_error "unknown stage '$stage' in --skip-stages (known: ${FULL_STAGES[*]})"
    SKIP_STAGES+=("$stage")
  done < <(spot_split_csv "$1")
}

parse_flags() {
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
        parse_skip_stages "$SPOT_FLAG_VALUE" ;;
      --preflight-only=* | --smoke-only=* | --dry-run=* | --help=*)
        spot_usage_error "${1%%=*} takes no value" ;;
      -*) spot_usage_error "unknown flag '$1'" ;;
      *) spot_usage_error "unexpected argument '$1' (this launcher takes flags only)" ;;
    esac
  done
}

parse_flags "$@"
spot_require_uint WATCHDOG_MINUTES "$WATCHDOG_MINUTES"
spot_require_uint SSH_READY_ATTEMPTS "$SSH_READY_ATTEMPTS"

if [ -n "$INSTANCE_TYPE_OVERRIDE" ]; then
  INSTANCE_TYPES=("$INSTANCE_TYPE_OVERRIDE")
else
  read -r -a INSTANCE_TYPES <<<"$SPOT_INSTANCE_TYPES"
fi
[ "${#INSTANCE_TYPES[@]}" -gt 0 ] || spot_usage_error "SPOT_INSTANCE_TYPES is empty"

RUN_STAGES=()
for stage in "${FULL_STAGES[@]}"; do
  spot_in_list "$stage" "${SKIP_STAGES[@]}" || RUN_STAGES+=("$stage")
done

REQUIRED_FILES=("$SPOT_SSH_KEY" "$SPOT_WORKDIR/config.yaml" "$SPOT_WORKDIR/.env"
  "$SPOT_WORKDIR/config/executor_params.json")

# ── Dry run: the resolved plan, no aws/ssh ───────────────────────────────────

print_plan() {
  local file what
  if [ "$PREFLIGHT_ONLY" = "1" ]; then
    what="preflight only (backtest.py --mode=smoke, then exit 0)"
  elif [ "$RUN_MODE" = "smoke-only" ]; then
    what="smoke-only (${SMOKE_PHASES[*]}; evaluate.py --mode diagnostics --freeze)"
  else
    what="full (stages: ${RUN_STAGES[*]:-none}; then BacktesterHeartbeat)"
  fi
  printf 'spot_backtest.sh plan (dry run: no aws or ssh calls)\n'
  printf '  run:              %s\n' "$what"
  printf '  preflight_only:   %s\n' "$PREFLIGHT_ONLY"
  printf '  run_mode:         %s\n' "$RUN_MODE"
  printf '  skip_stages:      %s\n' "${SKIP_STAGES[*]:-none}"
  printf '  branch:           %s (%s/%s, %s/%s)\n' "$BRANCH" "$GITHUB_ORG" "${REPOS[0]}" "$GITHUB_ORG" "${REPOS[1]}"
  printf '  region:           %s\n' "$AWS_REGION"
  printf '  ami:              %s\n' "$SPOT_AMI"
  printf '  instance_types:   %s\n' "${INSTANCE_TYPES[*]}"
  printf '  key/sg/subnet:    %s %s %s\n' "$SPOT_KEY_NAME" "$SPOT_SECURITY_GROUP" "$SPOT_SUBNET"
  printf '  iam_profile:      %s\n' "$SPOT_IAM_PROFILE"
  printf '  s3_bucket:        %s\n' "$S3_BUCKET"
  printf '  watchdog:         %s minutes\n' "$WATCHDOG_MINUTES"
  printf '  ssh_attempts:     %s (10 s apart)\n' "$SSH_READY_ATTEMPTS"
  for file in "${REQUIRED_FILES[@]}"; do
    if [ -r "$file" ]; then
      printf '  requires:         %s (ok)\n' "$file"
    else
      printf '  requires:         %s (MISSING: a real run exits 2)\n' "$file"
    fi
  done
}

if [ "$DRY_RUN" = "1" ]; then
  print_plan
  exit 0
fi

for file in "${REQUIRED_FILES[@]}"; do
  spot_require_file "$file"
done

# ── Boot ─────────────────────────────────────────────────────────────────────

log "mode=$RUN_MODE preflight_only=$PREFLIGHT_ONLY branch=$BRANCH region=$AWS_REGION skip_stages=${SKIP_STAGES[*]:-none}"
spot_arm_cleanup
spot_launch "$TAG_SPEC" "${INSTANCE_TYPES[@]}"
spot_wait_running
spot_resolve_ip
spot_wait_ssh "$SSH_READY_ATTEMPTS"
spot_install_watchdog "$WATCHDOG_MINUTES"

# ── Bootstrap: OS packages, github host key ──────────────────────────────────

spot_step "bootstrap: dnf packages, github host key"
run_remote <<'EOF'
set -euo pipefail
sudo dnf install -y git python3.12 python3.12-pip
mkdir -p ~/.ssh
chmod 700 ~/.ssh
# A failed keyscan only costs the ssh clone; the https fallback still works.
ssh-keyscan github.com >> ~/.ssh/known_hosts || echo "bootstrap: WARNING: ssh-keyscan github.com failed" >&2
EOF

# ── Repos and local config ───────────────────────────────────────────────────

for repo in "${REPOS[@]}"; do
  spot_clone_repo "$GITHUB_ORG" "$repo" "$BRANCH"
done

spot_step "config: upload .env, config.yaml, executor_params.json"
spot_ssh 'mkdir -p ~/backtester/config' || die "could not create ~/backtester/config on the spot"
spot_copy "$SPOT_WORKDIR/.env" backtester/.env
spot_copy "$SPOT_WORKDIR/config.yaml" backtester/config/
spot_copy "$SPOT_WORKDIR/config/executor_params.json" backtester/config/

# ── Python deps (GitHub token from SSM for private requirements) ─────────────

spot_step "deps: pip install (token from SSM $SSM_TOKEN_PARAM)"
run_remote "$AWS_REGION" "$SSM_TOKEN_PARAM" <<'EOF'
set -euo pipefail
region=$1 token_param=$2
export AWS_REGION=$region AWS_DEFAULT_REGION=$region
if ! GITHUB_TOKEN=$(timeout 60 aws ssm get-parameter --region "$region" --name "$token_param" \
    --with-decryption --query Parameter.Value --output text); then
  echo "deps: could not read SSM parameter $token_param (error or 60 s timeout)" >&2
  exit 1
fi
if [ -z "$GITHUB_TOKEN" ] || [ "$GITHUB_TOKEN" = "None" ]; then
  echo "deps: SSM parameter $token_param is empty" >&2
  exit 1
fi
export GITHUB_TOKEN
cd ~/backtester
python3.12 -m pip install --quiet -r requirements.txt
python3.12 -m pip install --quiet -e ~/predictor
EOF

# ── Caches: ArcticDB universe and predictor weights ──────────────────────────

spot_step "cache: ArcticDB + predictor weights from s3://$S3_BUCKET"
run_remote "$AWS_REGION" "$S3_BUCKET" <<'EOF'
set -euo pipefail
region=$1 bucket=$2
export AWS_REGION=$region AWS_DEFAULT_REGION=$region
mkdir -p ~/cache/arcticdb
aws s3 sync "s3://$bucket/cache/arcticdb/" ~/cache/arcticdb/ --only-show-errors
aws s3 cp "s3://$bucket/models/predictor/latest/weights.pt" ~/cache/weights.pt
EOF

# ── Remote python ────────────────────────────────────────────────────────────

spot_step "resolve remote python"
REMOTE_PYTHON=$(spot_ssh 'command -v python3.12') || REMOTE_PYTHON=""
REMOTE_PYTHON=${REMOTE_PYTHON//$'\r'/}
REMOTE_PYTHON=${REMOTE_PYTHON%%$'\n'*}
[ -n "$REMOTE_PYTHON" ] || die "python3.12 not found on the spot (image gap?)"
log "remote python: $REMOTE_PYTHON"

# ── Preflight: read-only bootstrap smoke, then exit (before smoke-only and full) ─

if [ "$PREFLIGHT_ONLY" = "1" ]; then
  spot_step "preflight: backtest.py --mode=smoke"
  run_remote "$AWS_REGION" "$REMOTE_PYTHON" "$ENV_SOURCE" <<'EOF'
set -euo pipefail
region=$1 remote_python=$2 env_source=$3
cd ~/backtester
eval "$env_source"
export AWS_REGION=$region AWS_DEFAULT_REGION=$region
"$remote_python" backtest.py --mode=smoke
EOF
  log "preflight passed"
  exit 0
fi

# ── Smoke-only: per-phase smoke harness + frozen diagnostics ─────────────────

if [ "$RUN_MODE" = "smoke-only" ]; then
  for phase in "${SMOKE_PHASES[@]}"; do
    spot_step "smoke: $phase"
    run_remote "$AWS_REGION" "$REMOTE_PYTHON" "$ENV_SOURCE" "$phase" <<'EOF'
set -euo pipefail
region=$1 remote_python=$2 env_source=$3 phase=$4
cd ~/backtester
eval "$env_source"
export AWS_REGION=$region AWS_DEFAULT_REGION=$region
"$remote_python" backtest.py --mode="$phase"
EOF
  done
  spot_step "smoke: evaluate.py --mode diagnostics --freeze"
  run_remote "$AWS_REGION" "$REMOTE_PYTHON" "$ENV_SOURCE" <<'EOF'
set -euo pipefail
region=$1 remote_python=$2 env_source=$3
cd ~/backtester
eval "$env_source"
export AWS_REGION=$region AWS_DEFAULT_REGION=$region
"$remote_python" evaluate.py --mode diagnostics --freeze
EOF
  log "smoke-only passed"
  exit 0
fi

# ── Full backtest: backtest -> parity -> evaluate (each skippable) ───────────

if [ "${#RUN_STAGES[@]}" -gt 0 ]; then
  spot_step "full run: ${RUN_STAGES[*]}"
  run_remote "$AWS_REGION" "$S3_BUCKET" "$REMOTE_PYTHON" "$ENV_SOURCE" "${RUN_STAGES[@]}" <<'EOF'
set -euo pipefail
region=$1 bucket=$2 remote_python=$3 env_source=$4
shift 4
cd ~/backtester
eval "$env_source"
export AWS_REGION=$region AWS_DEFAULT_REGION=$region
for stage in "$@"; do
  echo "=== stage: $stage ==="
  case $stage in
    backtest)
      "$remote_python" backtest.py --mode all --upload ;;
    parity)
      aws s3 cp "s3://$bucket/parity/trades.db" /tmp/trades.db
      "$remote_python" pit_parity.py --trades-db /tmp/trades.db --out /tmp/parity_report.json
      aws s3 cp /tmp/parity_report.json "s3://$bucket/parity/parity_report.json" ;;
    evaluate)
      "$remote_python" evaluate.py --mode all --upload ;;
    *)
      echo "unknown stage: $stage" >&2
      exit 2 ;;
  esac
done
EOF
else
  log "full run: every stage skipped"
fi

spot_step "heartbeat: BacktesterHeartbeat"
aws cloudwatch put-metric-data --region "$AWS_REGION" --namespace QuantResearch/Spot \
  --metric-name BacktesterHeartbeat --value 1 --unit Count --dimensions Module=backtester \
  || die "could not put the BacktesterHeartbeat metric"
log "full run done"
