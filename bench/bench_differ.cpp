// The differ on a 10,000-record pair (target: <= 50 ms). Google Benchmark; figures, not a test.
//   build/bin/bench-differ --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
// The recordings are synthetic but shaped like real ones: the dispatcher's date/aws/ssh/scp calls,
// remote calls nested under ssh (parent), instance ids and addresses in argv and stdout, payloads.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "spotcheck/differ.hpp"
#include "spotcheck/normalise.hpp"
#include "spotcheck/record.hpp"

namespace {

using spotcheck::Record;

std::string hex_id(int n) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "i-%017x", 0x6212a06u + static_cast<unsigned>(n) * 7919u);
  return buf;
}

// One launcher run (~50 records) on instance `n`, appended to `out`; `seq` advances.
void append_run(std::vector<Record>& out, std::int64_t& seq, int n, bool diverge) {
  const std::string id = hex_id(n), ip = "203.0.113." + std::to_string(n % 250 + 1);
  auto add = [&](std::string host, std::vector<std::string> argv, std::optional<std::int64_t> parent = {},
                 std::string stdout_text = "") {
    Record r;
    r.seq = ++seq;
    r.host = std::move(host);
    r.tool = argv.front();
    r.argv = std::move(argv);
    r.parent = parent;
    r.stdout_text = std::move(stdout_text);
    r.t = static_cast<double>(seq);
    out.push_back(std::move(r));
    return out.back().seq;
  };
  const std::vector<std::string> ssh = {"ssh",
                                        "-i",
                                        "/home/runner/.ssh/spot-batch.pem",
                                        "-o",
                                        "StrictHostKeyChecking=no",
                                        "-o",
                                        "ConnectTimeout=10",
                                        "-o",
                                        "BatchMode=yes",
                                        "ec2-user@" + ip};
  auto ssh_with = [&](std::string cmd) {
    auto argv = ssh;
    argv.push_back(std::move(cmd));
    return argv;
  };
  add("dispatcher", {"date", "-u", "+%H:%M:%S"});
  add("dispatcher",
      {"aws", "ec2", "run-instances", "--region", "us-east-1", "--image-id", "ami-0abcdef1234567890", "--instance-type",
       "c6i.4xlarge", "--query", "Instances[0].InstanceId", "--output", "text"},
      {}, id + "\n");
  add("dispatcher", {"aws", "ec2", "wait", "instance-running", "--region", "us-east-1", "--instance-ids", id});
  add("dispatcher", {"aws", "ec2", "describe-instances", "--region", "us-east-1", "--instance-ids", id}, {}, ip + "\n");
  for (int k = 0; k < 3; ++k) {
    add("dispatcher", ssh_with("true"));
    add("dispatcher", {"sleep", "10"});
  }
  for (int step = 0; step < 8; ++step) {
    add("dispatcher", {"date", "-u", "+%H:%M:%S"});
    const auto transport = add("dispatcher", ssh_with("bash -s -- us-east-1 quant-research-data"));
    const auto wrapper =
        add(id, {"timeout", "60", "aws", "ssm", "get-parameter", "--name", "/quant/github-token"}, transport);
    add(id, {"aws", "ssm", "get-parameter", "--name", "/quant/github-token"}, wrapper, "ghp_xxxxxxxxxxxxxxxxxxxx\n");
    add(id, {"python3.12", "-m", "pip", "install", "--quiet", "-r", "requirements.txt"}, transport,
        std::string(200, 'x'));
    add(id, {"python3.12", "backtest.py", diverge && step == 4 ? "--mode=all" : "--mode=smoke"}, transport);
  }
  Record& scp = out[static_cast<std::size_t>(
      add("dispatcher", {"scp", "-i", "/home/runner/.ssh/spot-batch.pem", "/home/runner/work/.env",
                         "ec2-user@" + ip + ":~/backtester/.env"}) -
      out.front().seq)];
  scp.payloads.push_back({ip + ":/home/ec2-user/backtester/.env", std::string(64, 'a'), 132});
  add("dispatcher", {"aws", "ec2", "terminate-instances", "--region", "us-east-1", "--instance-ids", id});
}

std::vector<Record> recording(std::size_t size, int diverging_runs) {
  std::vector<Record> out;
  std::int64_t seq = 0;
  for (int n = 0; out.size() < size; ++n) append_run(out, seq, n, n < diverging_runs && n % 7 == 3);
  out.resize(size);
  return out;
}

void BM_DiffEquivalentPair(benchmark::State& state) {
  const auto a = recording(static_cast<std::size_t>(state.range(0)), 0);
  const auto b = recording(static_cast<std::size_t>(state.range(0)), 0);  // equal, built apart
  for (auto _ : state) {
    const auto d =
        spotcheck::harness::diff_leaf_calls(spotcheck::harness::leaf_calls(a), spotcheck::harness::leaf_calls(b));
    benchmark::DoNotOptimize(d.equivalent);
  }
  state.counters["records"] = static_cast<double>(a.size());
}

// Divergences scattered through the pair (one argv in every 7th run): the edit script must work.
void BM_DiffDivergingPair(benchmark::State& state) {
  const auto a = recording(static_cast<std::size_t>(state.range(0)), 0);
  const auto b = recording(static_cast<std::size_t>(state.range(0)), 1 << 30);
  for (auto _ : state) {
    const auto d =
        spotcheck::harness::diff_leaf_calls(spotcheck::harness::leaf_calls(a), spotcheck::harness::leaf_calls(b));
    benchmark::DoNotOptimize(d.report.size());
  }
  state.counters["records"] = static_cast<double>(a.size());
}

// `spotcheck diff A B` end to end minus process start: both JSONL files read, parsed, validated.
void BM_DiffFilesOnDisk(benchmark::State& state) {
  const auto dir = std::filesystem::temp_directory_path() / ("bench-differ-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  for (const char* name : {"a.jsonl", "b.jsonl"}) {
    std::ofstream out(dir / name);
    for (const auto& r : recording(static_cast<std::size_t>(state.range(0)), name[0] == 'b' ? 1 << 30 : 0))
      out << spotcheck::to_json(r).dump() << "\n";
  }
  for (auto _ : state) {
    const auto d = spotcheck::harness::diff_leaf_calls(spotcheck::harness::read_leaf_calls(dir / "a.jsonl"),
                                                       spotcheck::harness::read_leaf_calls(dir / "b.jsonl"));
    benchmark::DoNotOptimize(d.equivalent);
  }
  state.counters["bytes_per_file"] = static_cast<double>(std::filesystem::file_size(dir / "a.jsonl"));
  std::filesystem::remove_all(dir);
}

}  // namespace

BENCHMARK(BM_DiffEquivalentPair)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DiffDivergingPair)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DiffFilesOnDisk)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();
