#!/bin/sh
# Rebuilds the WebAssembly loops run on tfjs-backend-wasm's heap: patch_loops.c (convolution
# gradients), recurrence_loops.c (LSTM) and batch_norm_loops.c (batch norm in training).
# NAME.wasm imports the heap of the single-threaded build, NAME_shared.wasm the shared heap of
# the threaded build. Needs clang and lld (Debian: apt-get install clang lld). Then writes
# build_manifest.json: the SHA-256 of each source and of the binaries built from it, which
# tests/model/kernels_build_test.ts checks, so a source changed without a rebuild fails the tests.
set -e
cd "$(dirname "$0")"
FLAGS="--target=wasm32 -O3 -msimd128 -nostdlib -fno-builtin -Wl,--no-entry -Wl,--import-memory"
FLAGS="$FLAGS -Wl,-z,stack-size=0 -Wl,--strip-all"
NAMES="patch_loops recurrence_loops batch_norm_loops"
for name in $NAMES; do
  clang $FLAGS -o $name.wasm $name.c
  clang $FLAGS -matomics -mbulk-memory -Wl,--shared-memory -Wl,--max-memory=4294967296 \
    -o ${name}_shared.wasm $name.c
done
sha() { sha256sum "$1" | cut -d' ' -f1; }
{
  echo "{"
  echo "  \"clang\": \"$(clang --version | head -n 1)\","
  echo "  \"modules\": {"
  last=$(echo $NAMES | awk '{print $NF}')
  for name in $NAMES; do
    comma=","
    [ "$name" = "$last" ] && comma=""
    echo "    \"$name\": {"
    echo "      \"source\": \"$(sha $name.c)\","
    echo "      \"wasm\": \"$(sha $name.wasm)\","
    echo "      \"sharedWasm\": \"$(sha ${name}_shared.wasm)\""
    echo "    }$comma"
  done
  echo "  }"
  echo "}"
} > build_manifest.json
