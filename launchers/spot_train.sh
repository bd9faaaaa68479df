#!/usr/bin/env bash
# spot_train.sh: trains the predictor (train -> promote -> report) on a one-time EC2 spot instance.
#
# Boots the spot, installs deps, uploads local config, then either:
#   --preflight-only   the read-only bootstrap check (train.py --preflight), then exit 0
#   --smoke-only       dry-run training (train.py --mode full --dry-run), then exit 0
#   (default, full)    train --upload (candidate weights), promote candidate -> latest and
#                      config/predictor_params.json, email report, CloudWatch heartbeat
# Every instance launched is terminated on every exit path (trap), a spot-side watchdog powers it
# off even if this dispatcher dies, and a reclaimed spot is replaced (see _spot_common.sh).
# See launchers/README.md for flags, env knobs and requirements.
set -euo pipefail

SPOT_LOG_TAG="spot_train.sh"
# shellcheck source=_spot_common.sh
. "$(dirname "${BASH_SOURCE[0]}")/_spot_common.sh"

# ── Module ───────────────────────────────────────────────────────────────────

REPORT_FROM="${REPORT_FROM:-spot-reports@quant-research.example.com}"
REPORT_TO="${REPORT_TO:-quant-team@quant-research.example.com}"

readonly SSM_TOKEN_PARAM="/quant/github-token"
readonly TAG_SPEC='ResourceType=instance,Tags=[{Key=Name,Value=spot-train},{Key=module,Value=predictor}]'
SPOT_REPOS=(predictor)
SPOT_FULL_STAGES=(train promote report)
# Sourced on the spot before every workload: exports the uploaded .env.
readonly ENV_SOURCE='set -a; . ~/predictor/.env; set +a'

usage() {
  cat <<EOF
Usage: spot_train.sh [options]

Trains the predictor on a one-time EC2 spot instance that is always terminated on exit.

Options:
  --preflight-only        boot, install deps, run 'train.py --preflight' (read-only), exit 0;
                          combines with any --mode (it wins: nothing after the check runs)
  --smoke-only            same as --mode smoke-only
  --mode MODE             full (default) or smoke-only ('train.py --mode full --dry-run')
  --branch NAME           branch of the predictor repo (default: main)
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
# The addresses go into the report's JSON: plain addresses only.
for address in "$REPORT_FROM" "$REPORT_TO"; do
  [[ $address =~ ^[A-Za-z0-9._+-]+@[A-Za-z0-9.-]+$ ]] || spot_usage_error "not an email address: '$address'"
done
SPOT_REQUIRED_FILES=("$SPOT_SSH_KEY" "$SPOT_WORKDIR/config.yaml" "$SPOT_WORKDIR/.env")

# ── Dry run: the resolved plan, no aws/ssh ───────────────────────────────────

if [ "$DRY_RUN" = "1" ]; then
  case $PREFLIGHT_ONLY:$RUN_MODE in
    1:*) spot_print_plan "preflight only (train.py --preflight, then exit 0)" ;;
    *:smoke-only) spot_print_plan "smoke-only (train.py --mode full --dry-run)" ;;
    *) spot_print_plan "full (stages: ${RUN_STAGES[*]:-none}; report to $REPORT_TO; then PredictorHeartbeat)" ;;
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
spot_ssh 'mkdir -p ~/predictor/config' || die "could not create ~/predictor/config on the spot"
spot_copy "$SPOT_WORKDIR/.env" predictor/.env
spot_copy "$SPOT_WORKDIR/config.yaml" predictor/config/

# Python deps: the GitHub token (SSM, 60 s timeout) lets pip fetch private requirements.
spot_step "deps: pip install (token from SSM $SSM_TOKEN_PARAM)"
run_remote_with_secret "$SSM_TOKEN_PARAM" GITHUB_TOKEN "" <<'EOF'
cd ~/predictor
python3.12 -m pip install --quiet -r requirements.txt
python3.12 -m pip install --quiet -e ~/predictor
EOF

spot_resolve_remote_python python3.12
spot_setup_done

# ── Preflight: read-only bootstrap check, then exit (before smoke-only and full) ─

if [ "$PREFLIGHT_ONLY" = "1" ]; then
  spot_step "preflight: train.py --preflight"
  run_remote "$AWS_REGION" "$S3_BUCKET" "$REMOTE_PYTHON" "$ENV_SOURCE" <<'EOF'
set -euo pipefail
region=$1 bucket=$2 remote_python=$3 env_source=$4
cd ~/predictor
eval "$env_source"
export AWS_REGION=$region AWS_DEFAULT_REGION=$region S3_BUCKET=$bucket
"$remote_python" train.py --preflight
EOF
  log "preflight passed"
  exit 0
fi

# ── Smoke-only: dry-run training ─────────────────────────────────────────────

if [ "$RUN_MODE" = "smoke-only" ]; then
  spot_step "smoke: train.py --mode full --dry-run"
  run_remote "$AWS_REGION" "$S3_BUCKET" "$REMOTE_PYTHON" "$ENV_SOURCE" <<'EOF'
set -euo pipefail
region=$1 bucket=$2 remote_python=$3 env_source=$4
cd ~/predictor
eval "$env_source"
export AWS_REGION=$region AWS_DEFAULT_REGION=$region S3_BUCKET=$bucket
"$remote_python" train.py --mode full --dry-run
EOF
  log "smoke-only passed"
  exit 0
fi

# ── Full run: train -> promote -> report (each skippable) ────────────────────

if spot_stage_enabled train; then
  spot_step "full run: train (train.py --mode full --upload -> models/predictor/candidate/)"
  run_remote "$AWS_REGION" "$S3_BUCKET" "$REMOTE_PYTHON" "$ENV_SOURCE" <<'EOF'
set -euo pipefail
region=$1 bucket=$2 remote_python=$3 env_source=$4
cd ~/predictor
eval "$env_source"
export AWS_REGION=$region AWS_DEFAULT_REGION=$region S3_BUCKET=$bucket
"$remote_python" train.py --mode full --upload
EOF
fi

if spot_stage_enabled promote; then
  spot_step "full run: promote candidate weights to latest, write config/predictor_params.json"
  run_remote "$AWS_REGION" "$S3_BUCKET" <<'EOF'
set -euo pipefail
region=$1 bucket=$2
export AWS_REGION=$region AWS_DEFAULT_REGION=$region
aws s3 cp "s3://$bucket/models/predictor/candidate/weights.pt" "s3://$bucket/models/predictor/latest/weights.pt"
aws s3 cp ~/predictor/config/predictor_params.json "s3://$bucket/config/predictor_params.json"
EOF
fi

if spot_stage_enabled report; then
  spot_step "full run: report to $REPORT_TO"
  printf -v report_message '{"Subject":{"Data":"predictor training done (%s)","Charset":"UTF-8"},"Body":{"Text":{"Data":"%s","Charset":"UTF-8"}}}' \
    "$BRANCH" "Stages run: ${RUN_STAGES[*]}. Branch $BRANCH. Weights: s3://$S3_BUCKET/models/predictor/latest/weights.pt. Config: s3://$S3_BUCKET/config/predictor_params.json."
  aws ses send-email --region "$AWS_REGION" --from "$REPORT_FROM" --destination "ToAddresses=$REPORT_TO" \
    --message "$report_message" >/dev/null \
    || die "could not send the training report to $REPORT_TO"
fi

if [ "${#RUN_STAGES[@]}" -eq 0 ]; then
  log "full run: every stage skipped"
fi

spot_heartbeat PredictorHeartbeat predictor
log "full run done"
