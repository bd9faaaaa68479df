#!/usr/bin/env bash
# spot_data_weekly.sh: runs the weekly data pipeline (collect -> RAG ingest) on a one-time EC2 spot instance.
#
# Boots the spot, installs deps, uploads local config, then either:
#   --preflight-only   the read-only bootstrap check (weekly_collector.py --preflight), then exit 0
#   --smoke-only       the collector's dry run (weekly_collector.py --phase 1 --dry-run), then exit 0
#   (default, full)    collect (market data -> S3), RAG ingest --upload, CloudWatch heartbeat
# Every instance launched is terminated on every exit path (trap), a spot-side watchdog powers it
# off even if this dispatcher dies, and a reclaimed spot is replaced (see _spot_common.sh).
# See launchers/README.md for flags, env knobs and requirements.
set -euo pipefail

SPOT_LOG_TAG="spot_data_weekly.sh"
# shellcheck source=_spot_common.sh
. "$(dirname "${BASH_SOURCE[0]}")/_spot_common.sh"

# ── Module ───────────────────────────────────────────────────────────────────

readonly SSM_DATA_KEY_PARAM="/quant/data-api-key"
readonly TAG_SPEC='ResourceType=instance,Tags=[{Key=Name,Value=spot-data-weekly},{Key=module,Value=data}]'
SPOT_REPOS=(data-pipeline)
SPOT_FULL_STAGES=(collect rag)
# Where deps keeps DATA_API_KEY (mode 600) for the workload steps, relative to ~ on the spot.
readonly SECRETS_FILE='data-pipeline/.secrets.env'
# Sourced on the spot before every workload: exports the uploaded .env and the data API key.
readonly ENV_SOURCE='set -a; . ~/data-pipeline/.env; . ~/data-pipeline/.secrets.env; set +a'

usage() {
  cat <<EOF
Usage: spot_data_weekly.sh [options]

Runs the weekly data pipeline on a one-time EC2 spot instance that is always terminated on exit.

Options:
  --preflight-only        boot, install deps, run 'weekly_collector.py --preflight' (read-only), exit 0;
                          combines with any --mode (it wins: nothing after the check runs)
  --smoke-only            same as --mode smoke-only
  --mode MODE             full (default) or smoke-only ('weekly_collector.py --phase 1 --dry-run')
  --branch NAME           branch of the data-pipeline repo (default: main)
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
SPOT_REQUIRED_FILES=("$SPOT_SSH_KEY" "$SPOT_WORKDIR/config.yaml" "$SPOT_WORKDIR/.env")

# ── Dry run: the resolved plan, no aws/ssh ───────────────────────────────────

if [ "$DRY_RUN" = "1" ]; then
  case $PREFLIGHT_ONLY:$RUN_MODE in
    1:*) spot_print_plan "preflight only (weekly_collector.py --preflight, then exit 0)" ;;
    *:smoke-only) spot_print_plan "smoke-only (weekly_collector.py --phase 1 --dry-run)" ;;
    *) spot_print_plan "full (stages: ${RUN_STAGES[*]:-none}; then DataWeeklyHeartbeat)" ;;
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

spot_step "config: upload .env, config.yaml"
spot_ssh 'mkdir -p ~/data-pipeline/config' || die "could not create ~/data-pipeline/config on the spot"
spot_copy "$SPOT_WORKDIR/.env" data-pipeline/.env
spot_copy "$SPOT_WORKDIR/config.yaml" data-pipeline/config/

# Python deps; the data API key (SSM, 60 s timeout) is kept in $SECRETS_FILE for the collector.
spot_step "deps: pip install (data API key from SSM $SSM_DATA_KEY_PARAM)"
run_remote_with_secret "$SSM_DATA_KEY_PARAM" DATA_API_KEY "$SECRETS_FILE" <<'EOF'
cd ~/data-pipeline
python3.12 -m pip install --quiet -r requirements.txt
EOF

spot_resolve_remote_python python3.12
spot_setup_done

# ── Preflight: read-only bootstrap check, then exit (before smoke-only and full) ─

if [ "$PREFLIGHT_ONLY" = "1" ]; then
  spot_step "preflight: weekly_collector.py --preflight"
  run_remote "$AWS_REGION" "$S3_BUCKET" "$REMOTE_PYTHON" "$ENV_SOURCE" <<'EOF'
set -euo pipefail
region=$1 bucket=$2 remote_python=$3 env_source=$4
cd ~/data-pipeline
eval "$env_source"
export AWS_REGION=$region AWS_DEFAULT_REGION=$region S3_BUCKET=$bucket
"$remote_python" weekly_collector.py --preflight
EOF
  log "preflight passed"
  exit 0
fi

# ── Smoke-only: the collector's dry run ──────────────────────────────────────

if [ "$RUN_MODE" = "smoke-only" ]; then
  spot_step "smoke: weekly_collector.py --phase 1 --dry-run"
  run_remote "$AWS_REGION" "$S3_BUCKET" "$REMOTE_PYTHON" "$ENV_SOURCE" <<'EOF'
set -euo pipefail
region=$1 bucket=$2 remote_python=$3 env_source=$4
cd ~/data-pipeline
eval "$env_source"
export AWS_REGION=$region AWS_DEFAULT_REGION=$region S3_BUCKET=$bucket
"$remote_python" weekly_collector.py --phase 1 --dry-run
EOF
  log "smoke-only passed"
  exit 0
fi

# ── Full run: collect -> rag (each skippable; one remote step each) ──────────

if spot_stage_enabled collect; then
  spot_step "full run: collect (weekly_collector.py --phase 1)"
  run_remote "$AWS_REGION" "$S3_BUCKET" "$REMOTE_PYTHON" "$ENV_SOURCE" <<'EOF'
set -euo pipefail
region=$1 bucket=$2 remote_python=$3 env_source=$4
cd ~/data-pipeline
eval "$env_source"
export AWS_REGION=$region AWS_DEFAULT_REGION=$region S3_BUCKET=$bucket
"$remote_python" weekly_collector.py --phase 1
EOF
fi

if spot_stage_enabled rag; then
  spot_step "full run: rag (rag_ingest.py --upload)"
  run_remote "$AWS_REGION" "$S3_BUCKET" "$REMOTE_PYTHON" "$ENV_SOURCE" <<'EOF'
set -euo pipefail
region=$1 bucket=$2 remote_python=$3 env_source=$4
cd ~/data-pipeline
eval "$env_source"
export AWS_REGION=$region AWS_DEFAULT_REGION=$region S3_BUCKET=$bucket
"$remote_python" rag_ingest.py --upload
EOF
fi

if [ "${#RUN_STAGES[@]}" -eq 0 ]; then
  log "full run: every stage skipped"
fi

spot_heartbeat DataWeeklyHeartbeat data
log "full run done"
