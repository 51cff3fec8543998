// TypeScript bindings of the standard: json-schema-to-typescript on the generator input that
// `python -m sharedoutcomes._devtools.typegen` prepares from the bundle (it writes the result to
// generated/typescript/). Usage: node tests/js/generate-types.mjs INPUT.json  (prints the TypeScript)
import { readFileSync } from "node:fs";
import { compile } from "json-schema-to-typescript";

const input = JSON.parse(readFileSync(process.argv[2], "utf8"));
const ts = await compile(input, "Package", {
  bannerComment: "",
  unreachableDefinitions: true, // every schema of the bundle gets its type, not only those a package reaches
  strictIndexSignatures: true, // an open object's values are `unknown | undefined`
  format: true,
  cwd: "/nonexistent", // every $ref is inside the input: nothing may be read from disk or the network
});
process.stdout.write(ts);
