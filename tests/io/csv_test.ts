/** CSV writing: RFC 4180 quoting. */
import assert from "node:assert/strict";
import { csvField, formatCsv } from "../../src/io/mod.ts";

Deno.test("fields with comma, quote or line break are quoted; quotes doubled; null empty", () => {
  assert.equal(csvField("plain"), "plain");
  assert.equal(csvField("gap, 5 mm"), '"gap, 5 mm"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField("two\nlines"), '"two\nlines"');
  assert.equal(csvField(null), "");
  assert.equal(csvField(undefined), "");
  assert.equal(csvField(0), "0");
  assert.equal(formatCsv(["a", "b"], [[1, "x,y"], [null, 2]]), 'a,b\n1,"x,y"\n,2\n');
});
