#!/usr/bin/env bash
# spot_backtest.sh: runs the backtester (backtest -> parity -> evaluate) on a one-time EC2 spot instance.
#
# Boots the spot, installs deps, uploads local config, then either:
#   --preflight-only   the read-only bootstrap smoke (backtest.py --mode=smoke), then exit 0
#   --smoke-only       the per-phase smoke harness + frozen diagnostics, then exit 0
#   (default, full)    backtest --upload, PIT parity, evaluate --upload, CloudWatch heartbeat
# Every instance launched is terminated on every exit path (trap), a spot-side watchdog powers it
# off even if this dispatcher dies, and a reclaimed spot is replaced (see _spot_common.sh).
# See launchers/README.md for flags, env knobs and requirements.
set -euo pipefail

SPOT_LOG_TAG="spot_backtest.sh"
# shellcheck source=_spot_common.sh
. "$(dirname "${BASH_SOURCE[0]}")/_spot_common.sh"

# ── Module ───────────────────────────────────────────────────────────────────

readonly SSM_TOKEN_PARAM="/quant/github-token"
readonly TAG_SPEC='ResourceType=instance,Tags=[{Key=Name,Value=spot-backtest},{Key=module,Value=backtester}]'
SPOT_REPOS=(backtester predictor)
SPOT_FULL_STAGES=(backtest parity evaluate)
readonly SMOKE_PHASES=(smoke-simulate smoke-param-sweep smoke-predictor-backtest smoke-phase4
  smoke-predictor-param-sweep)
# Sourced on the spot before every workload: exports the uploaded .env.
readonly ENV_SOURCE='set -a; . ~/backtester/.env; set +a'

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
  --skip-stages A,B       skip full-run stages; known: ${SPOT_FULL_STAGES[*]}
  --dry-run               print the resolved plan and exit 0; calls neither aws nor ssh
  -h, --help              show this help

Valued options also accept --option=value. Environment knobs: see launchers/README.md.
Exit status: 0 success, 2 bad usage or missing local file, other non-zero: the run failed.
EOF
}

spot_parse_flags "$@"
spot_finish_config
SPOT_REQUIRED_FILES=("$SPOT_SSH_KEY" "$SPOT_WORKDIR/config.yaml" "$SPOT_WORKDIR/.env"
  "$SPOT_WORKDIR/config/executor_params.json")

# ── Dry run: the resolved plan, no aws/ssh ───────────────────────────────────

if [ "$DRY_RUN" = "1" ]; then
  case $PREFLIGHT_ONLY:$RUN_MODE in
    1:*) spot_print_plan "preflight only (backtest.py --mode=smoke, then exit 0)" ;;
    *:smoke-only) spot_print_plan "smoke-only (${SMOKE_PHASES[*]}; evaluate.py --mode diagnostics --freeze)" ;;
    *) spot_print_plan "full (stages: ${RUN_STAGES[*]:-none}; then BacktesterHeartbeat)" ;;
  esac
  exit 0
fi

spot_require_files

# ── Boot: launch (capacity fallback), wait, ssh readiness, watchdog ──────────

spot_log_start
spot_arm_cleanup
spot_boot "$TAG_SPEC"

# ── Setup (redone on a new instance if the spot is reclaimed) ────────────────

spot_bootstrap
spot_clone_repos

spot_step "config: upload .env, config.yaml, executor_params.json"
spot_ssh 'mkdir -p ~/backtester/config' || die "could not create ~/backtester/config on the spot"
spot_copy "$SPOT_WORKDIR/.env" backtester/.env
spot_copy "$SPOT_WORKDIR/config.yaml" backtester/config/
spot_copy "$SPOT_WORKDIR/config/executor_params.json" backtester/config/

# Python deps: the GitHub token (SSM, 60 s timeout) lets pip fetch private requirements.
spot_step "deps: pip install (token from SSM $SSM_TOKEN_PARAM)"
run_remote_with_secret "$SSM_TOKEN_PARAM" GITHUB_TOKEN "" <<'EOF'
cd ~/backtester
python3.12 -m pip install --quiet -r requirements.txt
python3.12 -m pip install --quiet -e ~/predictor
EOF

spot_step "cache: ArcticDB + predictor weights from s3://$S3_BUCKET"
run_remote "$AWS_REGION" "$S3_BUCKET" <<'EOF'
set -euo pipefail
region=$1 bucket=$2
export AWS_REGION=$region AWS_DEFAULT_REGION=$region
mkdir -p ~/cache/arcticdb
aws s3 sync "s3://$bucket/cache/arcticdb/" ~/cache/arcticdb/ --only-show-errors
aws s3 cp "s3://$bucket/models/predictor/latest/weights.pt" ~/cache/weights.pt
EOF

spot_resolve_remote_python python3.12
spot_setup_done

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

spot_heartbeat BacktesterHeartbeat backtester
log "full run done"
