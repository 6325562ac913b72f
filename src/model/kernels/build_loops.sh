#!/bin/sh
# Rebuilds the WebAssembly loops run on tfjs-backend-wasm's heap: patch_loops.c (convolution
# gradients), recurrence_loops.c (LSTM) and batch_norm_loops.c (batch norm in training).
# NAME.wasm imports the heap of the single-threaded build, NAME_shared.wasm the shared heap of
# the threaded build. Needs clang and lld (Debian: apt-get install clang lld).
set -e
cd "$(dirname "$0")"
FLAGS="--target=wasm32 -O3 -msimd128 -nostdlib -fno-builtin -Wl,--no-entry -Wl,--import-memory"
FLAGS="$FLAGS -Wl,-z,stack-size=0 -Wl,--strip-all"
for name in patch_loops recurrence_loops batch_norm_loops; do
  clang $FLAGS -o $name.wasm $name.c
  clang $FLAGS -matomics -mbulk-memory -Wl,--shared-memory -Wl,--max-memory=4294967296 \
    -o ${name}_shared.wasm $name.c
done
