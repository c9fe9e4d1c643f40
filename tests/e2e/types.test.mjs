// The SDK's TypeScript declarations (sdk/js/latchkey.d.ts): they compile under `--strict`, an
// app's typical use of the SDK type-checks against them (types/usage.ts, where misuses must be
// refused), and they declare exactly what the module exports at run time.

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { test } from "node:test";
import { promisify } from "node:util";

import { repoRoot } from "./harness.mjs";

const require = createRequire(import.meta.url);
const ts = require("typescript");
const here = path.join(repoRoot, "tests/e2e");
const dts = path.join(repoRoot, "sdk/js/latchkey.d.ts");

test("latchkey.d.ts and an app's use of it compile with tsc --strict", async () => {
  const tsc = path.join(here, "node_modules/typescript/bin/tsc");
  const args = [
    tsc,
    "--strict",
    "--noEmit",
    "--target",
    "es2022",
    "--module",
    "esnext",
    "--moduleResolution",
    "bundler",
    "--lib",
    "es2022,dom",
    path.join(here, "types/usage.ts"),
  ];
  try {
    await promisify(execFile)(process.execPath, args, { cwd: here });
  } catch (err) {
    assert.fail(`tsc found type errors:\n${err.stdout}${err.stderr}`);
  }
});

test("latchkey.d.ts declares exactly the module's exports", async () => {
  const program = ts.createProgram([dts], {
    strict: true,
    noEmit: true,
    lib: ["lib.es2022.d.ts", "lib.dom.d.ts"],
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(dts);
  const declared = checker
    .getExportsOfModule(checker.getSymbolAtLocation(source))
    // Values only (functions, the class, `default`), not the type-only declarations.
    .filter((s) => {
      const target = s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s;
      return (target.flags & ts.SymbolFlags.Value) !== 0;
    })
    .map((s) => s.getName())
    .sort();
  const runtime = Object.keys(await import(path.join(repoRoot, "sdk/js/latchkey.js"))).sort();
  assert.deepEqual(declared, runtime);
});
