#!/bin/sh
# Rebuilds the WebAssembly patch loops from patch_loops.c: patch_loops.wasm imports the heap of
# tfjs-backend-wasm's single-threaded build, patch_loops_shared.wasm the shared heap of its
# threaded build. Needs clang and lld (Debian: apt-get install clang lld).
set -e
cd "$(dirname "$0")"
FLAGS="--target=wasm32 -O3 -msimd128 -nostdlib -fno-builtin -Wl,--no-entry -Wl,--import-memory"
FLAGS="$FLAGS -Wl,-z,stack-size=0 -Wl,--strip-all"
clang $FLAGS -o patch_loops.wasm patch_loops.c
clang $FLAGS -matomics -mbulk-memory -Wl,--shared-memory -Wl,--max-memory=4294967296 \
  -o patch_loops_shared.wasm patch_loops.c
