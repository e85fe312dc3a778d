#!/usr/bin/env bash
# Reproduces the figures in BENCHMARKS.md on this machine:
#   bash bench.sh                          # 1,000 and 10,000 articles
#   SIZES="1000 10000 100000" bash bench.sh
#   BENCH_OUT=/dev/shm bash bench.sh       # write the output to another file system
# Corpora are generated once (deterministic, seed 1) under $TMPDIR and reused
# by the Go benchmarks. Builds write under $BENCH_OUT (default $TMPDIR).
# Needs GNU time (/usr/bin/time, Debian package "time").
set -euo pipefail
cd "$(dirname "$0")"
sizes=${SIZES:-"1000 10000"}
tmp=${TMPDIR:-/tmp}
outroot=${BENCH_OUT:-$tmp}
bin="$tmp/digest-bench-bin"
go build -o "$bin" ./cmd/digest
go build -o "$tmp/gencorpus-bench-bin" ./cmd/gencorpus

echo "== full builds into $outroot (wall s, user s, sys s, peak RSS KiB)"
for n in $sizes; do
  corpus="$tmp/digest-bench-corpus-$n"
  [ -f "$corpus/site.toml" ] || { rm -rf "$corpus"; "$tmp/gencorpus-bench-bin" -n "$n" -o "$corpus" >/dev/null; }
  out="$outroot/digest-bench-out-$n"
  kept="$outroot/.digest-bench-out-$n.prev" # the build before, kept for the next to write over
  rm -rf "$out" "$kept"
  sync
  /usr/bin/time -f "$n articles, fresh:     %e s wall, %U s user, %S s sys, %M KiB peak" "$bin" build -s "$corpus" -o "$out" >/dev/null
  "$bin" build -s "$corpus" -o "$out" >/dev/null # makes the kept build
  /usr/bin/time -f "$n articles, unchanged: %e s wall, %U s user, %S s sys, %M KiB peak" "$bin" build -s "$corpus" -o "$out" >/dev/null
  rm -rf "$out" "$kept"
done

list=$(echo $sizes | tr ' ' ',')
echo "== whole build, stages and goldmark alone (go test -bench, 3 runs each)"
DIGEST_BENCH_OUT="$outroot" DIGEST_BENCH_SIZES=$list go test ./internal/pipeline -run '^$' \
  -bench 'Build$|Rebuild|Stage|GoldmarkAlone' -benchtime 3x -benchmem | grep -E '^Benchmark' | tee "$tmp/digest-bench-stages.txt"
# The build's time over goldmark's, measured in the same run.
awk '/^BenchmarkBuild\//{split($1,a,"[=-]"); b[a[2]]=$3} /^BenchmarkGoldmarkAlone\//{split($1,a,"[=-]"); g[a[2]]=$3}
  END{for (n in b) if (g[n]) printf "%s articles: build / goldmark alone = %.2f\n", n, b[n]/g[n]}' "$tmp/digest-bench-stages.txt"
echo "== serve: edit to reload, page render, start-up"
DIGEST_BENCH_SIZES=$list go test ./cmd/digest -run '^$' -bench Serve -benchtime 1x | grep -E '^Benchmark'
