import assert from "node:assert/strict";
import { slicePlaces } from "../../bench/allocation_clot_share.ts";

Deno.test("slicePlaces: a run's first and last clot slices are its edges, its neighbours are next to clot", () => {
  // Hand-labelled: clot on slices 1-3 and on slice 6 alone; slice 7 is the volume's last.
  assert.deepEqual(slicePlaces(Uint8Array.of(0, 1, 1, 1, 0, 0, 1, 0)), [
    "next-to-clot",
    "clot-edge",
    "clot-inner",
    "clot-edge",
    "next-to-clot",
    "next-to-clot",
    "clot-edge",
    "next-to-clot",
  ]);
});

Deno.test("slicePlaces: clot that reaches the volume's ends has its edge there", () => {
  assert.deepEqual(slicePlaces(Uint8Array.of(1, 1, 0, 0, 1, 1)), [
    "clot-edge",
    "clot-edge",
    "next-to-clot",
    "next-to-clot",
    "clot-edge",
    "clot-edge",
  ]);
  assert.deepEqual(slicePlaces(Uint8Array.of(0, 0, 0)), ["clear", "clear", "clear"]);
});
