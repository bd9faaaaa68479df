// Tests for contracts/src/effects.cpp: the oracle's classification of every call form the launchers use.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <ostream>

#include "spotcheck/catalog.hpp"
#include "spotcheck/effects.hpp"

namespace spotcheck {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

using Effects = std::vector<std::string>;

std::string basename_of(const std::string& path) {
  return path.substr(path.find_last_of('/') + 1);
}

Effects classify_argv(const std::vector<std::string>& argv, const ClassifyOptions& options = {}) {
  return classify(CallSite{"dispatcher", basename_of(argv.at(0)), argv}, options);
}

// One table row: a readable name (the test's name), the argv, and the effects it must classify as.
struct Row {
  std::string name;
  std::vector<std::string> argv;
  Effects effects;
};

void PrintTo(const Row& row, std::ostream* os) {
  *os << row.name << ":";
  for (const auto& arg : row.argv) {
    *os << " " << arg;
  }
}

class ClassifiesAs : public ::testing::TestWithParam<Row> {};

TEST_P(ClassifiesAs, TheArgvGivesExactlyTheListedEffects) {
  EXPECT_EQ(classify_argv(GetParam().argv), GetParam().effects);
}

std::string row_name(const ::testing::TestParamInfo<Row>& info) {
  return info.param.name;
}

// ---------------------------------------------------------------- aws: services other than s3

const std::vector<Row> kAwsRows = {
    {"ec2_run_instances_is_a_launch",
     {"aws", "ec2", "run-instances", "--region", "us-east-1", "--image-id", "ami-1", "--instance-type", "c7i.4xlarge",
      "--count", "1", "--query", "Instances[0].InstanceId", "--output", "text"},
     {"ec2.launch"}},
    {"ec2_request_spot_instances_is_a_launch",
     {"aws", "ec2", "request-spot-instances", "--launch-specification", "file://spec.json"},
     {"ec2.launch"}},
    {"ec2_wait_instance_running_is_a_wait",
     {"aws", "ec2", "wait", "instance-running", "--region", "us-east-1", "--instance-ids", "i-0abc"},
     {"ec2.wait"}},
    {"ec2_describe_instances_is_a_describe",
     {"aws", "ec2", "describe-instances", "--instance-ids", "i-0abc", "--query",
      "Reservations[0].Instances[0].PublicIpAddress", "--output", "text"},
     {"ec2.describe"}},
    {"ec2_describe_spot_instance_requests_is_a_describe",
     {"aws", "ec2", "describe-spot-instance-requests"},
     {"ec2.describe"}},
    {"ec2_terminate_instances_is_a_terminate",
     {"aws", "ec2", "terminate-instances", "--region", "us-east-1", "--instance-ids", "i-0abc"},
     {"ec2.terminate"}},
    {"ec2_cancel_spot_instance_requests_is_a_terminate",
     {"aws", "ec2", "cancel-spot-instance-requests", "--spot-instance-request-ids", "sir-1"},
     {"ec2.terminate"}},
    {"ec2_run_instances_with_dry_run_launches_nothing",
     {"aws", "ec2", "run-instances", "--dry-run", "--image-id", "ami-1"},
     {}},
    {"ec2_create_tags_is_outside_the_taxonomy", {"aws", "ec2", "create-tags", "--resources", "i-1"}, {}},
    {"cloudwatch_put_metric_data_is_a_metric_write",
     {"aws", "cloudwatch", "put-metric-data", "--region", "us-east-1", "--namespace", "QuantResearch/Spot",
      "--metric-name", "BacktesterHeartbeat", "--value", "1", "--unit", "Count", "--dimensions", "Module=backtester"},
     {"metric.write"}},
    {"cloudwatch_put_metric_alarm_is_a_metric_write",
     {"aws", "cloudwatch", "put-metric-alarm", "--alarm-name", "a"},
     {"metric.write"}},
    {"logs_put_log_events_is_a_metric_write",
     {"aws", "logs", "put-log-events", "--log-group-name", "g", "--log-stream-name", "s"},
     {"metric.write"}},
    {"cloudwatch_get_metric_statistics_is_nothing",
     {"aws", "cloudwatch", "get-metric-statistics", "--namespace", "n"},
     {}},
    {"ssm_get_parameter_is_a_secret_read",
     {"aws", "ssm", "get-parameter", "--region", "us-east-1", "--name", "/spot/github-token", "--with-decryption",
      "--query", "Parameter.Value", "--output", "text"},
     {"secret.read"}},
    {"ssm_get_parameters_is_a_secret_read", {"aws", "ssm", "get-parameters", "--names", "a", "b"}, {"secret.read"}},
    {"ssm_get_parameters_by_path_is_a_secret_read",
     {"aws", "ssm", "get-parameters-by-path", "--path", "/spot/", "--recursive"},
     {"secret.read"}},
    {"ssm_put_parameter_is_a_secret_write",
     {"aws", "ssm", "put-parameter", "--name", "/x", "--value", "v", "--overwrite"},
     {"secret.write"}},
    {"ssm_delete_parameter_is_a_secret_write", {"aws", "ssm", "delete-parameter", "--name", "/x"}, {"secret.write"}},
    {"ssm_send_command_is_a_remote_exec",
     {"aws", "ssm", "send-command", "--instance-ids", "i-1", "--document-name", "AWS-RunShellScript"},
     {"remote.exec"}},
    {"secretsmanager_get_secret_value_is_a_secret_read",
     {"aws", "secretsmanager", "get-secret-value", "--secret-id", "s"},
     {"secret.read"}},
    {"ses_send_email_is_a_notify", {"aws", "ses", "send-email", "--from", "a@b", "--to", "c@d"}, {"notify"}},
    {"ses_send_raw_email_is_a_notify", {"aws", "ses", "send-raw-email", "--raw-message", "Data=x"}, {"notify"}},
    {"sesv2_send_email_is_a_notify", {"aws", "sesv2", "send-email", "--content", "{}"}, {"notify"}},
    {"sns_publish_is_a_notify",
     {"aws", "sns", "publish", "--topic-arn", "arn:aws:sns:us-east-1:1:t", "--message", "done"},
     {"notify"}},
    {"sts_get_caller_identity_is_an_identity_read", {"aws", "sts", "get-caller-identity"}, {"identity.read"}},
    {"an_unknown_service_is_nothing", {"aws", "iam", "list-users"}, {}},
    {"aws_version_alone_is_nothing", {"aws", "--version"}, {}},
    {"aws_configure_is_nothing", {"aws", "configure", "list"}, {}},
    {"generate_cli_skeleton_runs_no_operation", {"aws", "ec2", "run-instances", "--generate-cli-skeleton"}, {}},
    {"global_options_before_the_service_are_skipped",
     {"aws", "--region", "us-east-1", "--output", "text", "s3", "cp", "s3://b/a.txt", "/tmp/a.txt"},
     {"s3.read"}},
    {"global_flags_and_equals_forms_before_the_service_are_skipped",
     {"aws", "--debug", "--no-cli-pager", "--profile", "p", "--region=us-east-1", "--color", "off",
      "--cli-read-timeout", "5", "--cli-connect-timeout", "5", "--ca-bundle", "/etc/ca.pem", "--no-verify-ssl",
      "--no-paginate", "--no-sign-request", "ec2", "describe-instances"},
     {"ec2.describe"}},
    {"global_options_between_service_and_operation_are_skipped",
     {"aws", "ec2", "--region", "us-east-1", "terminate-instances", "--instance-ids", "i-1"},
     {"ec2.terminate"}},
    {"an_aws_endpoint_url_is_not_external",
     {"aws", "--endpoint-url", "https://s3.us-east-1.amazonaws.com", "s3", "ls"},
     {"s3.read"}},
    {"a_non_aws_endpoint_url_is_also_an_external_call",
     {"aws", "--endpoint-url", "http://localhost:4566", "s3", "ls"},
     {"s3.read", "external.api"}},
};
INSTANTIATE_TEST_SUITE_P(Aws, ClassifiesAs, ::testing::ValuesIn(kAwsRows), row_name);

// ---------------------------------------------------------------- aws s3 (high level)

const std::vector<Row> kS3Rows = {
    {"cp_upload_is_a_write", {"aws", "s3", "cp", "/tmp/report.json", "s3://b/results/report.json"}, {"s3.write"}},
    {"cp_download_is_a_read",
     {"aws", "s3", "cp", "s3://b/models/predictor/latest/weights.pt", "/home/ec2-user/cache/weights.pt"},
     {"s3.read"}},
    {"cp_s3_to_s3_is_a_read_and_a_write", {"aws", "s3", "cp", "s3://a/x", "s3://b/x"}, {"s3.read", "s3.write"}},
    {"cp_from_stdin_is_a_write", {"aws", "s3", "cp", "-", "s3://b/results/log.txt"}, {"s3.write"}},
    {"cp_to_stdout_is_a_read", {"aws", "s3", "cp", "s3://b/results/log.txt", "-"}, {"s3.read"}},
    {"cp_with_options_after_the_operands",
     {"aws", "s3", "cp", "/tmp/x", "s3://b/y", "--sse", "aws:kms", "--sse-kms-key-id", "k", "--only-show-errors"},
     {"s3.write"}},
    {"cp_with_filters_before_the_operands",
     {"aws", "s3", "cp", "--recursive", "--exclude", "*", "--include", "*.json", "./out", "s3://b/results/"},
     {"s3.write"}},
    {"cp_dryrun_upload_writes_nothing", {"aws", "s3", "cp", "--dryrun", "/tmp/x", "s3://b/y"}, {}},
    {"cp_dryrun_download_still_reads", {"aws", "s3", "cp", "s3://b/y", "/tmp/x", "--dryrun"}, {"s3.read"}},
    {"mv_upload_is_a_write", {"aws", "s3", "mv", "/tmp/x", "s3://b/x"}, {"s3.write"}},
    {"mv_download_reads_and_deletes_the_source", {"aws", "s3", "mv", "s3://b/x", "/tmp/x"}, {"s3.read", "s3.write"}},
    {"mv_s3_to_s3_is_a_read_and_a_write", {"aws", "s3", "mv", "s3://a/x", "s3://b/x"}, {"s3.read", "s3.write"}},
    {"sync_upload_is_a_write", {"aws", "s3", "sync", "./out", "s3://b/results/2026-12-01/"}, {"s3.write"}},
    {"sync_download_is_a_read",
     {"aws", "s3", "sync", "s3://b/cache/arcticdb/", "/home/ec2-user/cache/arcticdb/", "--only-show-errors"},
     {"s3.read"}},
    {"rm_is_a_write", {"aws", "s3", "rm", "s3://b/results/old.json"}, {"s3.write"}},
    {"rm_recursive_is_a_write", {"aws", "s3", "rm", "s3://b/results/", "--recursive"}, {"s3.write"}},
    {"mb_is_a_write", {"aws", "s3", "mb", "s3://new-bucket"}, {"s3.write"}},
    {"rb_is_a_write", {"aws", "s3", "rb", "s3://old-bucket"}, {"s3.write"}},
    {"ls_is_a_read", {"aws", "s3", "ls", "s3://b/results/", "--recursive", "--human-readable"}, {"s3.read"}},
    {"ls_of_all_buckets_is_a_read", {"aws", "s3", "ls"}, {"s3.read"}},
    {"presign_is_a_read", {"aws", "s3", "presign", "s3://b/x", "--expires-in", "600"}, {"s3.read"}},
    {"cp_between_local_paths_touches_no_s3", {"aws", "s3", "cp", "/tmp/a", "/tmp/b"}, {}},
};
INSTANTIATE_TEST_SUITE_P(S3, ClassifiesAs, ::testing::ValuesIn(kS3Rows), row_name);

// ---------------------------------------------------------------- aws s3api

const std::vector<Row> kS3apiRows = {
    {"put_object_is_a_write",
     {"aws", "s3api", "put-object", "--bucket", "b", "--key", "results/x", "--body", "x"},
     {"s3.write"}},
    {"delete_object_is_a_write", {"aws", "s3api", "delete-object", "--bucket", "b", "--key", "x"}, {"s3.write"}},
    {"copy_object_reads_its_source_and_writes",
     {"aws", "s3api", "copy-object", "--copy-source", "b/src", "--bucket", "b", "--key", "dst"},
     {"s3.read", "s3.write"}},
    {"create_bucket_is_a_write", {"aws", "s3api", "create-bucket", "--bucket", "b"}, {"s3.write"}},
    {"create_multipart_upload_is_a_write",
     {"aws", "s3api", "create-multipart-upload", "--bucket", "b", "--key", "big"},
     {"s3.write"}},
    {"upload_part_is_a_write",
     {"aws", "s3api", "upload-part", "--bucket", "b", "--key", "big", "--part-number", "1", "--upload-id", "u"},
     {"s3.write"}},
    {"upload_part_copy_reads_and_writes",
     {"aws", "s3api", "upload-part-copy", "--bucket", "b", "--key", "big", "--copy-source", "b/src"},
     {"s3.read", "s3.write"}},
    {"complete_multipart_upload_is_a_write",
     {"aws", "s3api", "complete-multipart-upload", "--bucket", "b", "--key", "big", "--upload-id", "u"},
     {"s3.write"}},
    {"abort_multipart_upload_is_a_write",
     {"aws", "s3api", "abort-multipart-upload", "--bucket", "b", "--key", "big", "--upload-id", "u"},
     {"s3.write"}},
    {"restore_object_is_a_write",
     {"aws", "s3api", "restore-object", "--bucket", "b", "--key", "cold", "--restore-request", "Days=1"},
     {"s3.write"}},
    {"put_bucket_policy_is_a_write",
     {"aws", "s3api", "put-bucket-policy", "--bucket", "b", "--policy", "file://p.json"},
     {"s3.write"}},
    {"get_object_is_a_read", {"aws", "s3api", "get-object", "--bucket", "b", "--key", "x", "/tmp/x"}, {"s3.read"}},
    {"head_object_is_a_read", {"aws", "s3api", "head-object", "--bucket", "b", "--key", "x"}, {"s3.read"}},
    {"head_bucket_is_a_read", {"aws", "s3api", "head-bucket", "--bucket", "b"}, {"s3.read"}},
    {"list_objects_v2_is_a_read",
     {"aws", "s3api", "list-objects-v2", "--bucket", "b", "--prefix", "results/"},
     {"s3.read"}},
    {"wait_object_exists_is_a_read",
     {"aws", "s3api", "wait", "object-exists", "--bucket", "b", "--key", "x"},
     {"s3.read"}},
};
INSTANTIATE_TEST_SUITE_P(S3api, ClassifiesAs, ::testing::ValuesIn(kS3apiRows), row_name);

// ---------------------------------------------------------------- config.write (default prefix config/)

const std::vector<Row> kConfigRows = {
    {"cp_to_a_config_key_is_a_config_write",
     {"aws", "s3", "cp", "/tmp/executor_params.json", "s3://b/config/executor_params.json"},
     {"s3.write", "config.write"}},
    {"cp_into_the_config_directory_is_a_config_write",
     {"aws", "s3", "cp", "/tmp/executor_params.json", "s3://b/config/"},
     {"s3.write", "config.write"}},
    {"cp_to_a_sibling_prefix_is_not_a_config_write",
     {"aws", "s3", "cp", "/tmp/x.json", "s3://b/configs/x.json"},
     {"s3.write"}},
    {"cp_to_a_nested_config_directory_is_not_a_config_write",
     {"aws", "s3", "cp", "/tmp/x.json", "s3://b/results/config/x.json"},
     {"s3.write"}},
    {"cp_to_an_object_named_config_is_not_a_config_write",
     {"aws", "s3", "cp", "/tmp/x.json", "s3://b/config"},
     {"s3.write"}},
    {"reading_a_config_key_is_only_a_read",
     {"aws", "s3", "cp", "s3://b/config/executor_params.json", "/tmp/x.json"},
     {"s3.read"}},
    {"mv_from_a_config_key_deletes_config",
     {"aws", "s3", "mv", "s3://b/config/executor_params.json", "/tmp/x.json"},
     {"s3.read", "s3.write", "config.write"}},
    {"cp_s3_to_s3_into_config_is_a_config_write",
     {"aws", "s3", "cp", "s3://b/staging/scoring_params.json", "s3://b/config/scoring_params.json"},
     {"s3.read", "s3.write", "config.write"}},
    {"rm_of_a_config_key_is_a_config_write",
     {"aws", "s3", "rm", "s3://b/config/old_params.json"},
     {"s3.write", "config.write"}},
    {"sync_to_the_config_directory_without_slash_is_a_config_write",
     {"aws", "s3", "sync", "./config", "s3://b/config"},
     {"s3.write", "config.write"}},
    {"sync_to_the_bucket_root_covers_config", {"aws", "s3", "sync", "./out", "s3://b/"}, {"s3.write", "config.write"}},
    {"sync_to_another_directory_is_not_a_config_write",
     {"aws", "s3", "sync", "./out", "s3://b/results/"},
     {"s3.write"}},
    {"recursive_rm_of_a_prefix_of_the_word_config_is_not_a_config_write",
     {"aws", "s3", "rm", "--recursive", "s3://b/conf"},
     {"s3.write"}},
    {"rb_force_empties_config_too", {"aws", "s3", "rb", "s3://b", "--force"}, {"s3.write", "config.write"}},
    {"dryrun_to_config_writes_nothing", {"aws", "s3", "cp", "--dryrun", "/tmp/x", "s3://b/config/x"}, {}},
    {"s3api_put_object_under_config_is_a_config_write",
     {"aws", "s3api", "put-object", "--bucket", "b", "--key", "config/scoring_params.json", "--body", "x"},
     {"s3.write", "config.write"}},
    {"s3api_key_in_equals_form_is_read",
     {"aws", "s3api", "put-object", "--bucket=b", "--key=config/x.json", "--body=x"},
     {"s3.write", "config.write"}},
    {"s3api_copy_object_into_config_is_a_config_write",
     {"aws", "s3api", "copy-object", "--copy-source", "b/staging/x", "--bucket", "b", "--key", "config/x"},
     {"s3.read", "s3.write", "config.write"}},
    {"s3api_delete_objects_json_naming_config_is_a_config_write",
     {"aws", "s3api", "delete-objects", "--bucket", "b", "--delete", R"({"Objects":[{"Key":"config/a.json"}]})"},
     {"s3.write", "config.write"}},
    {"s3api_delete_objects_shorthand_naming_config_is_a_config_write",
     {"aws", "s3api", "delete-objects", "--bucket", "b", "--delete", "Objects=[{Key=results/a},{Key=config/b}]"},
     {"s3.write", "config.write"}},
    {"s3api_delete_objects_elsewhere_is_not_a_config_write",
     {"aws", "s3api", "delete-objects", "--bucket", "b", "--delete", "Objects=[{Key=results/a}],Quiet=true"},
     {"s3.write"}},
    {"s3api_delete_objects_from_a_file_may_touch_config",
     {"aws", "s3api", "delete-objects", "--bucket", "b", "--delete", "file://delete.json"},
     {"s3.write", "config.write"}},
    {"s3api_bucket_level_write_is_not_a_config_write",
     {"aws", "s3api", "put-bucket-versioning", "--bucket", "b", "--versioning-configuration", "Status=Enabled"},
     {"s3.write"}},
};
INSTANTIATE_TEST_SUITE_P(ConfigPrefix, ClassifiesAs, ::testing::ValuesIn(kConfigRows), row_name);

TEST(ConfigPrefixes, AreTakenFromTheOptionsInsteadOfTheDefault) {
  ClassifyOptions options;
  options.config_prefixes = {"settings/", "params/"};
  EXPECT_EQ(classify_argv({"aws", "s3", "cp", "x", "s3://b/params/a.json"}, options),
            (Effects{"s3.write", "config.write"}));
  EXPECT_EQ(classify_argv({"aws", "s3", "cp", "x", "s3://b/settings/a.json"}, options),
            (Effects{"s3.write", "config.write"}));
  EXPECT_EQ(classify_argv({"aws", "s3", "cp", "x", "s3://b/config/a.json"}, options), (Effects{"s3.write"}));
}

TEST(ConfigPrefixes, AnEmptyListMakesNoWriteAConfigWrite) {
  ClassifyOptions options;
  options.config_prefixes = {};
  EXPECT_EQ(classify_argv({"aws", "s3", "sync", "./out", "s3://b/"}, options), (Effects{"s3.write"}));
}

// ---------------------------------------------------------------- ssh, scp, rsync

const std::vector<Row> kRemoteRows = {
    {"ssh_with_a_command_is_a_remote_exec",
     {"ssh", "-i", "/home/u/.ssh/spot.pem", "-o", "StrictHostKeyChecking=no", "-o", "ConnectTimeout=5",
      "ec2-user@10.0.0.5", "true"},
     {"remote.exec"}},
    {"ssh_bash_s_heredoc_is_a_remote_exec",
     {"ssh", "-o", "BatchMode=yes", "ec2-user@10.0.0.5", "bash", "-s", "--", "us-east-1", "/usr/bin/python3.12"},
     {"remote.exec"}},
    {"ssh_with_agent_forwarding_is_a_remote_exec",
     {"ssh", "-A", "-o", "LogLevel=ERROR", "ec2-user@10.0.0.5", "git clone --depth 1 git@github.com:o/r.git ~/r"},
     {"remote.exec"}},
    {"ssh_with_attached_option_values_is_a_remote_exec",
     {"ssh", "-ikey.pem", "-p22", "-tt", "-oBatchMode=yes", "host"},
     {"remote.exec"}},
    {"ssh_version_is_nothing", {"ssh", "-V"}, {}},
    {"ssh_control_check_is_nothing", {"ssh", "-O", "check", "host"}, {}},
    {"ssh_port_forward_only_is_nothing", {"ssh", "-N", "-L", "8080:localhost:80", "host"}, {}},
    {"scp_to_the_spot_is_a_remote_copy",
     {"scp", "-i", "/home/u/.ssh/spot.pem", "-o", "StrictHostKeyChecking=no", "config.yaml",
      "ec2-user@10.0.0.5:~/backtester/config/"},
     {"remote.copy"}},
    {"scp_from_the_spot_is_a_remote_copy",
     {"scp", "-P", "22", "host:/tmp/report.json", "./report.json"},
     {"remote.copy"}},
    {"scp_between_local_paths_is_nothing", {"scp", "./a:b", "./c"}, {}},
    {"ssh_keyscan_is_nothing", {"ssh-keyscan", "github.com"}, {}},
    {"rsync_to_a_host_is_a_remote_copy",
     {"rsync", "-az", "-e", "ssh -i key", "--exclude", ".git", "./src/", "host:/home/ec2-user/src/"},
     {"remote.copy"}},
};
INSTANTIATE_TEST_SUITE_P(Remote, ClassifiesAs, ::testing::ValuesIn(kRemoteRows), row_name);

// ---------------------------------------------------------------- deps.install

const std::vector<Row> kDepsRows = {
    {"dnf_install_is_deps", {"dnf", "install", "-y", "git", "python3.12", "python3.12-pip"}, {"deps.install"}},
    {"dnf_with_options_first_is_deps", {"dnf", "-y", "-q", "install", "git"}, {"deps.install"}},
    {"dnf_with_a_valued_option_first_is_deps", {"dnf", "--enablerepo", "epel", "install", "htop"}, {"deps.install"}},
    {"dnf_with_setopt_is_deps", {"dnf", "--setopt=install_weak_deps=False", "install", "x"}, {"deps.install"}},
    {"yum_install_is_deps", {"yum", "install", "-y", "jq"}, {"deps.install"}},
    {"dnf_group_install_is_deps", {"dnf", "group", "install", "-y", "Development Tools"}, {"deps.install"}},
    {"dnf_list_is_nothing", {"dnf", "list", "installed"}, {}},
    {"dnf_makecache_is_nothing", {"dnf", "makecache"}, {}},
    {"pip_install_is_deps", {"pip", "install", "-r", "requirements.txt"}, {"deps.install"}},
    {"pip3_install_is_deps", {"pip3", "install", "numpy==2.1.0"}, {"deps.install"}},
    {"versioned_pip_install_is_deps", {"/usr/bin/pip3.12", "install", "--user", "x"}, {"deps.install"}},
    {"pip_with_global_options_first_is_deps",
     {"pip", "--disable-pip-version-check", "--proxy", "http://proxy:3128", "install", "x"},
     {"deps.install"}},
    {"pip_freeze_is_nothing", {"pip", "freeze"}, {}},
    {"pip_show_is_nothing", {"pip3", "show", "numpy"}, {}},
    {"python_m_pip_install_is_deps",
     {"python3.12", "-m", "pip", "install", "--quiet", "-r", "requirements.txt"},
     {"deps.install"}},
    {"python_m_pip_install_editable_is_deps",
     {"/usr/bin/python3.12", "-m", "pip", "install", "--quiet", "-e", "/home/ec2-user/predictor"},
     {"deps.install"}},
    {"python_options_before_m_pip_are_skipped", {"python3", "-u", "-I", "-m", "pip", "install", "x"}, {"deps.install"}},
    {"python_attached_mpip_is_deps", {"python3", "-mpip", "install", "x"}, {"deps.install"}},
    {"python_m_pip_list_is_nothing", {"python3", "-m", "pip", "list"}, {}},
    {"git_clone_is_deps",
     {"git", "clone", "--depth", "1", "--branch", "main", "https://github.com/o/backtester.git", "/home/u/backtester"},
     {"deps.install"}},
    {"git_pull_is_deps", {"git", "pull", "--ff-only"}, {"deps.install"}},
    {"git_fetch_is_deps", {"git", "fetch", "origin"}, {"deps.install"}},
    {"git_with_C_and_c_before_the_command_is_deps",
     {"git", "-C", "/home/u/backtester", "-c", "http.extraHeader=Authorization: x", "pull"},
     {"deps.install"}},
    {"git_status_is_nothing", {"git", "status"}, {}},
    {"git_log_naming_clone_is_nothing", {"git", "log", "--grep", "clone"}, {}},
};
INSTANTIATE_TEST_SUITE_P(Deps, ClassifiesAs, ::testing::ValuesIn(kDepsRows), row_name);

// ---------------------------------------------------------------- watchdog, transports, sleep

const std::vector<Row> kWatchdogRows = {
    {"systemd_run_shutdown_is_a_watchdog",
     {"systemd-run", "--on-active=120m", "/sbin/shutdown", "-h", "now"},
     {"watchdog.install"}},
    {"systemd_run_with_spaced_values_is_a_watchdog",
     {"systemd-run", "--on-active", "2h", "--unit", "spot-watchdog", "shutdown", "-h", "now"},
     {"watchdog.install"}},
    {"systemd_run_systemctl_poweroff_is_a_watchdog",
     {"systemd-run", "--on-active=2h", "systemctl", "poweroff"},
     {"watchdog.install"}},
    {"systemd_run_shell_calling_shutdown_is_a_watchdog",
     {"systemd-run", "--on-active=2h", "/bin/sh", "-c", "sync; shutdown -h now"},
     {"watchdog.install"}},
    {"systemd_run_of_something_else_is_nothing", {"systemd-run", "--on-active=5m", "/usr/bin/touch", "/tmp/x"}, {}},
    {"a_unit_named_shutdown_is_not_the_command",
     {"systemd-run", "--unit", "shutdown-reminder", "--on-active=5m", "touch", "/tmp/x"},
     {}},
    {"sudo_in_front_of_the_watchdog_is_a_transport",
     {"sudo", "systemd-run", "--on-active=120m", "/sbin/shutdown", "-h", "now"},
     {}},
    {"sudo_in_front_of_dnf_is_a_transport", {"sudo", "dnf", "install", "-y", "git"}, {}},
    {"timeout_is_a_transport", {"timeout", "60", "aws", "ssm", "get-parameter", "--name", "x"}, {}},
    {"nohup_is_a_transport", {"nohup", "sleep", "10"}, {}},
    {"env_is_a_transport", {"env", "AWS_REGION=us-east-1", "aws", "s3", "ls"}, {}},
    {"sleep_is_a_sleep", {"sleep", "10"}, {"sleep"}},
    {"an_unknown_tool_is_nothing", {"mktemp", "-d"}, {}},
};
INSTANTIATE_TEST_SUITE_P(Watchdog, ClassifiesAs, ::testing::ValuesIn(kWatchdogRows), row_name);

// ---------------------------------------------------------------- curl, wget, httpie

const std::vector<Row> kHttpRows = {
    {"curl_to_an_external_api_is_external", {"curl", "-fsSL", "https://api.github.com/repos/o/r"}, {"external.api"}},
    {"curl_to_instance_metadata_is_not_external",
     {"curl", "-s", "http://169.254.169.254/latest/meta-data/instance-id"},
     {}},
    {"curl_imds_token_put_is_not_external",
     {"curl", "-X", "PUT", "-H", "X-aws-ec2-metadata-token-ttl-seconds: 21600",
      "http://169.254.169.254/latest/api/token"},
     {}},
    {"curl_to_imds_over_ipv6_is_not_external", {"curl", "http://[fd00:ec2::254]/latest/meta-data/"}, {}},
    {"curl_to_amazonaws_is_not_external", {"curl", "https://s3.us-east-1.amazonaws.com/bucket/key"}, {}},
    {"curl_to_a_lookalike_of_amazonaws_is_external", {"curl", "https://evil-amazonaws.com/"}, {"external.api"}},
    {"curl_to_amazonaws_as_a_subdomain_label_is_external",
     {"curl", "https://s3.amazonaws.com.evil.io/x"},
     {"external.api"}},
    {"curl_with_credentials_in_the_url_uses_the_host", {"curl", "https://user:pw@169.254.169.254/"}, {}},
    {"curl_header_and_output_values_are_not_urls",
     {"curl", "-H", "Authorization: Bearer x", "-o", "/tmp/out", "https://api.anthropic.com/v1/messages"},
     {"external.api"}},
    {"curl_url_option_is_a_url", {"curl", "--url", "https://example.com"}, {"external.api"}},
    {"curl_cluster_ending_in_a_valued_option", {"curl", "-sSo", "/tmp/x", "https://example.com"}, {"external.api"}},
    {"curl_attached_output_value_to_imds", {"curl", "-o/tmp/x", "http://169.254.169.254/"}, {}},
    {"curl_file_url_reaches_no_network", {"curl", "file:///etc/hosts"}, {}},
    {"curl_without_a_url_is_nothing", {"curl", "--version"}, {}},
    {"curl_to_localhost_is_an_attempted_connection", {"curl", "http://localhost:8080/health"}, {"external.api"}},
    {"curl_bare_host_defaults_to_http", {"curl", "example.com/x"}, {"external.api"}},
    {"wget_to_an_external_api_is_external",
     {"wget", "-q", "-O", "/tmp/x", "https://query1.finance.yahoo.com/v8/finance/chart/SPY"},
     {"external.api"}},
    {"wget_to_instance_metadata_is_not_external", {"wget", "-qO-", "http://169.254.169.254/latest/meta-data"}, {}},
    {"httpie_get_external_is_external", {"http", "GET", "https://api.example.com/x"}, {"external.api"}},
    {"httpie_post_with_items_is_external", {"http", "POST", "example.com", "a=b", "X-H:v"}, {"external.api"}},
    {"httpie_to_amazonaws_is_not_external", {"https", "s3.amazonaws.com/b/k"}, {}},
    {"httpie_localhost_shorthand_is_an_attempted_connection", {"http", ":3000/x"}, {"external.api"}},
};
INSTANTIATE_TEST_SUITE_P(Http, ClassifiesAs, ::testing::ValuesIn(kHttpRows), row_name);

// ---------------------------------------------------------------- python workloads

WorkloadCatalog small_catalog() {
  WorkloadCatalog catalog;
  catalog.entrypoints.push_back({"backtester",
                                 "backtest.py",
                                 {{{"--mode", "smoke"}, {"s3.read"}, "", 0, "preflight"},
                                  {{"--mode", "all", "--upload"}, {"s3.read", "s3.write"}, "", 0, "full"}}});
  catalog.entrypoints.push_back(
      {"backtester", "evaluate.py", {{{"--upload"}, {"config.write", "s3.write", "s3.read"}, "", 0, "auto-apply"}}});
  catalog.entrypoints.push_back({"backtester", "pit_parity.py", {{{}, {}, "", 0, "local compute"}}});
  return catalog;
}

class PythonWorkloads : public ::testing::Test {
 protected:
  WorkloadCatalog catalog = small_catalog();
  ClassifyOptions with_catalog() const {
    ClassifyOptions options;
    options.catalog = &catalog;
    return options;
  }
};

TEST_F(PythonWorkloads, TheCatalogDeclaresThePreflightAsReadOnly) {
  EXPECT_THAT(classify_argv({"python3.12", "backtest.py", "--mode=smoke"}, with_catalog()), ElementsAre("s3.read"));
}

TEST_F(PythonWorkloads, InterpreterPathAndOptionsDoNotHideTheScript) {
  EXPECT_THAT(classify_argv({"/usr/bin/python3.12", "-u", "backtest.py", "--mode", "all", "--upload"}, with_catalog()),
              ElementsAre("s3.read", "s3.write"));
}

TEST_F(PythonWorkloads, DeclaredEffectsComeBackInTaxonomyOrder) {
  EXPECT_THAT(classify_argv({"python3", "evaluate.py", "--mode", "all", "--upload"}, with_catalog()),
              ElementsAre("s3.read", "s3.write", "config.write"));
}

TEST_F(PythonWorkloads, AnInvocationDeclaringNoEffectsHasNone) {
  EXPECT_THAT(classify_argv({"python3", "pit_parity.py", "--trades-db", "t.db", "--out", "r.json"}, with_catalog()),
              IsEmpty());
}

TEST_F(PythonWorkloads, AnUndeclaredScriptOrInvocationHasNoEffects) {
  EXPECT_THAT(classify_argv({"python3", "other.py"}, with_catalog()), IsEmpty());
  EXPECT_THAT(classify_argv({"python3", "backtest.py", "--mode", "smoke-simulate"}, with_catalog()), IsEmpty());
}

TEST_F(PythonWorkloads, WithoutACatalogAScriptHasNoEffects) {
  EXPECT_THAT(classify_argv({"python3.12", "backtest.py", "--mode=smoke"}), IsEmpty());
}

TEST_F(PythonWorkloads, CodeVersionAndStdinRunsHaveNoEffects) {
  EXPECT_THAT(classify_argv({"python3", "-c", "import backtest"}, with_catalog()), IsEmpty());
  EXPECT_THAT(classify_argv({"python3", "--version"}, with_catalog()), IsEmpty());
  EXPECT_THAT(classify_argv({"python3", "-", "backtest.py"}, with_catalog()), IsEmpty());
}

TEST_F(PythonWorkloads, PipThroughTheInterpreterIsDepsEvenWithACatalog) {
  EXPECT_THAT(classify_argv({"python3.12", "-m", "pip", "install", "x"}, with_catalog()), ElementsAre("deps.install"));
}

// ---------------------------------------------------------------- classify and count_effects

TEST(Classify, AnEmptyArgvHasNoEffects) {
  EXPECT_THAT(classify(CallSite{"dispatcher", "aws", {}}), IsEmpty());
}

TEST(Classify, TheToolIsTakenFromArgvZeroEvenWhenGivenAsAPath) {
  EXPECT_THAT(classify(CallSite{"i-0abc", "aws", {"/usr/local/bin/aws", "s3", "ls"}}), ElementsAre("s3.read"));
}

TEST(Classify, EveryEffectItReportsIsATaxonomyName) {
  for (const auto* rows :
       {&kAwsRows, &kS3Rows, &kS3apiRows, &kConfigRows, &kRemoteRows, &kDepsRows, &kWatchdogRows, &kHttpRows}) {
    for (const auto& row : *rows) {
      for (const auto& effect : classify_argv(row.argv)) {
        EXPECT_TRUE(is_effect_name(effect)) << row.name << ": " << effect;
      }
    }
  }
}

TEST(CountEffects, ListsEveryTaxonomyNameWithZeroWhenNothingHappened) {
  std::map<std::string, int> counts = count_effects({});
  EXPECT_EQ(counts.size(), effect_names().size());
  for (const auto& name : effect_names()) {
    EXPECT_EQ(counts.at(name), 0) << name;
  }
}

TEST(CountEffects, CountsCallsPerEffectAndACallOnlyOnce) {
  std::map<std::string, int> counts =
      count_effects({{"s3.read"}, {"s3.read", "s3.write", "config.write"}, {"sleep", "sleep"}, {}});
  EXPECT_EQ(counts.at("s3.read"), 2);
  EXPECT_EQ(counts.at("s3.write"), 1);
  EXPECT_EQ(counts.at("config.write"), 1);
  EXPECT_EQ(counts.at("sleep"), 1);
  EXPECT_EQ(counts.at("metric.write"), 0);
}

TEST(CountEffects, APreflightLikeRunCountsNoWrites) {
  const std::vector<std::vector<std::string>> argvs = {
      {"aws", "ec2", "run-instances", "--image-id", "ami-1"},
      {"aws", "ec2", "wait", "instance-running", "--instance-ids", "i-1"},
      {"ssh", "ec2-user@10.0.0.5", "true"},
      {"aws", "s3", "sync", "s3://b/cache/arcticdb/", "/home/ec2-user/cache/arcticdb/"},
      {"aws", "ec2", "terminate-instances", "--instance-ids", "i-1"},
  };
  std::vector<std::vector<std::string>> per_call;
  per_call.reserve(argvs.size());
  for (const auto& argv : argvs) {
    per_call.push_back(classify_argv(argv));
  }
  std::map<std::string, int> counts = count_effects(per_call);
  EXPECT_EQ(counts.at("ec2.launch"), 1);
  EXPECT_EQ(counts.at("ec2.terminate"), 1);
  EXPECT_EQ(counts.at("remote.exec"), 1);
  EXPECT_EQ(counts.at("s3.read"), 1);
  EXPECT_EQ(counts.at("s3.write"), 0);
  EXPECT_EQ(counts.at("metric.write"), 0);
}

}  // namespace
}  // namespace spotcheck
