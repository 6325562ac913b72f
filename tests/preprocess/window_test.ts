import assert from "node:assert/strict";
import { windowByte, windowUnit } from "../../src/preprocess/window.ts";

Deno.test("window 100 / 700: -250 HU -> 0, 450 HU -> 255, 100 HU -> 127.5 stored as 128", () => {
  assert.equal(windowUnit(-250), 0);
  assert.equal(windowUnit(450), 1);
  assert.equal(windowUnit(100), 0.5);
  assert.equal(windowByte(windowUnit(-250)), 0);
  assert.equal(windowByte(windowUnit(450)), 255);
  // 255 x 0.5 = 127.5: ties round up (documented in window.ts).
  assert.equal(windowByte(windowUnit(100)), 128);
});

Deno.test("window clamps outside -250..450 HU and is linear inside", () => {
  assert.equal(windowUnit(-1000), 0);
  assert.equal(windowUnit(-3024), 0);
  assert.equal(windowUnit(3000), 1);
  assert.equal(windowUnit(-75), 0.25);
  assert.equal(windowUnit(275), 0.75);
  assert.equal(windowUnit(40, { centre: 40, width: 400 }), 0.5);
  assert.equal(windowByte(1.2), 255);
  assert.equal(windowByte(-0.1), 0);
  assert.equal(windowByte(1 / 255), 1);
});
