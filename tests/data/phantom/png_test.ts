import assert from "node:assert/strict";
import { join } from "node:path";
import { crc32, encodePng } from "../../../src/data/phantom/png.ts";
import { pythonHas } from "../../_python_peer.ts";

Deno.test("crc32 matches the published check value of '123456789'", () => {
  assert.equal(crc32(new TextEncoder().encode("123456789")), 0xcbf43926);
});

Deno.test("encodePng refuses a buffer of the wrong size", () => {
  assert.throws(() => encodePng(2, 2, new Uint8Array(11)), /expected 12/);
});

const matplotlib = pythonHas("matplotlib.image");
if (!matplotlib) {
  console.warn("png_test: decoding check skipped (apt-get install python3-matplotlib)");
}

Deno.test({
  name: "an independent PNG decoder (matplotlib/Pillow) reads the same pixels",
  ignore: !matplotlib,
  async fn() {
    const rgb = new Uint8Array([
      255,
      0,
      0,
      0,
      255,
      0,
      0,
      0,
      255,
      10,
      20,
      30,
      200,
      100,
      50,
      1,
      2,
      3,
    ]);
    const dir = await Deno.makeTempDir({ prefix: "png-" });
    const path = join(dir, "x.png");
    await Deno.writeFile(path, encodePng(3, 2, rgb));
    const script =
      "import sys, json, matplotlib.image as m; a = m.imread(sys.argv[1]); print(json.dumps([list(a.shape), (a * 255).round().astype(int).ravel().tolist()]))";
    const out = new Deno.Command("/usr/bin/python3", {
      args: ["-c", script, path],
      stderr: "piped",
    })
      .outputSync();
    await Deno.remove(dir, { recursive: true });
    assert.ok(out.success, new TextDecoder().decode(out.stderr));
    const [shape, values] = JSON.parse(new TextDecoder().decode(out.stdout));
    assert.deepEqual(shape, [2, 3, 3]);
    assert.deepEqual(values, [...rgb]);
  },
});
