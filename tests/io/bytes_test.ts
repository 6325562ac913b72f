import assert from "node:assert/strict";
import { concatBytes } from "../../src/io/bytes.ts";

Deno.test("concatBytes puts the parts one after another, empty parts included", () => {
  const out = concatBytes([
    new Uint8Array([1, 2]),
    new Uint8Array(0),
    new Uint8Array([3]),
    new Uint8Array([4, 5, 6]),
  ]);
  assert.deepEqual([...out], [1, 2, 3, 4, 5, 6]);
  assert.equal(concatBytes([]).length, 0);
});

Deno.test("concatBytes copies: changing a part afterwards leaves the result as it was", () => {
  const part = new Uint8Array([7, 8]);
  const out = concatBytes([part, part]);
  part[0] = 0;
  assert.deepEqual([...out], [7, 8, 7, 8]);
});
