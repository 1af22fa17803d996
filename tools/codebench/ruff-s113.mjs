// ruff's S113 (request-without-timeout) over the Python files listed in
// argv[2], in one process, through ruff's WebAssembly build (npm
// @astral-sh/ruff-wasm-nodejs: ruff itself is on PyPI, which this
// project's machines do not reach). Prints files, findings, seconds.
import { readFileSync } from "node:fs";
import { Workspace, PositionEncoding } from "@astral-sh/ruff-wasm-nodejs";

const files = readFileSync(process.argv[2], "utf8").split("\n").filter(Boolean);
const start = process.hrtime.bigint();
const ws = new Workspace({ lint: { select: ["S113"] } }, PositionEncoding.Utf16);
let findings = 0, bytes = 0;
for (const f of files) {
  const src = readFileSync(f, "utf8");
  bytes += Buffer.byteLength(src);
  findings += ws.check(src).filter((d) => d.code === "S113").length;
}
const s = Number(process.hrtime.bigint() - start) / 1e9;
console.log(`ruff ${Workspace.version()} S113: ${files.length} files, ${(bytes / 1e6).toFixed(2)} MB, ${findings} findings, ${s.toFixed(3)} s, ${(bytes / 1e6 / s).toFixed(1)} MB/s`);
