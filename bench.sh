#!/usr/bin/env bash
# Reproduces the figures in BENCHMARKS.md on this machine:
#   bash bench.sh                          # 1,000 and 10,000 articles
#   SIZES="1000 10000 100000" bash bench.sh
# Corpora are generated once (deterministic, seed 1) under $TMPDIR and reused
# by the Go benchmarks. Needs GNU time (/usr/bin/time, Debian package "time").
set -euo pipefail
cd "$(dirname "$0")"
sizes=${SIZES:-"1000 10000"}
tmp=${TMPDIR:-/tmp}
bin="$tmp/digest-bench-bin"
go build -o "$bin" ./cmd/digest
go build -o "$tmp/gencorpus-bench-bin" ./cmd/gencorpus

echo "== full builds (wall s, user s, sys s, peak RSS MB)"
for n in $sizes; do
  corpus="$tmp/digest-bench-corpus-$n"
  [ -f "$corpus/site.toml" ] || { rm -rf "$corpus"; "$tmp/gencorpus-bench-bin" -n "$n" -o "$corpus" >/dev/null; }
  out="$tmp/digest-bench-out-$n"
  rm -rf "$out"
  /usr/bin/time -f "$n articles, fresh:     %e s wall, %U s user, %S s sys, %M KB peak" "$bin" build -s "$corpus" -o "$out" >/dev/null
  /usr/bin/time -f "$n articles, unchanged: %e s wall, %U s user, %S s sys, %M KB peak" "$bin" build -s "$corpus" -o "$out" >/dev/null
  rm -rf "$out"
done

list=$(echo $sizes | tr ' ' ',')
echo "== stages (go test -bench)"
DIGEST_BENCH_SIZES=$list go test ./internal/build -run '^$' -bench 'Stage|GoldmarkAlone' -benchtime 3x -benchmem | grep -E '^Benchmark'
echo "== serve: edit to reload, page render, start-up"
DIGEST_BENCH_SIZES=$list go test ./cmd/digest -run '^$' -bench Serve -benchtime 1x | grep -E '^Benchmark'
