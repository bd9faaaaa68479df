// bench-noop: the static no-op process, the per-call baseline (process start and exit, nothing else).
int main() {
  return 0;
}
