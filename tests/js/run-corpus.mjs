// The conformance corpus (tests/conformance/*.json) run with Ajv, in strict mode, with ajv-formats.
//
//     node tests/js/run-corpus.mjs            (after `npm ci` at the repository's root)
//
// Each test of the corpus is a whole package; it is schema-valid when the corpus expects no
// `schema.*` error (the other rules are semantic: references, values, personal data, which a
// JSON Schema validator does not check). The runner validates every test twice, with the
// single-file bundle (schemas/bundle/) and with the separate schema files (schemas/*.schema.json,
// added to Ajv by their $id: nothing is fetched), and fails when Ajv and the corpus disagree.
// It also checks every published schema against the sharedoutcomes dialect (schemas/meta/).
//
// Ajv runs with its default options: strict mode (unknown keywords and formats are errors).
// Its one logged strictTypes warning, the union type of an evidence value, is expected and
// named below; any other warning fails the run.
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const schemas = join(root, "schemas");
const readJson = (path) => JSON.parse(readFileSync(path, "utf8"));
const EXPECTED_WARNING = /use allowUnionTypes to allow union type keyword at ".*EvidenceValue.*\/properties\/value"/;

const warnings = [];
const logger = { log: console.log, warn: (message) => warnings.push(String(message)), error: console.error };
const newAjv = () => addFormats(new Ajv2020({ allErrors: true, logger }));

// A frozen older version of the standard (schemas/0.1/): its own files, with its own $ids.
const FROZEN = /^\d+\.\d+$/;

function schemaFiles(dir, prefix = "") {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory()) {
      return entry.name === "bundle" || FROZEN.test(entry.name) ? [] : schemaFiles(join(dir, entry.name), `${prefix}${entry.name}/`);
    }
    return entry.name.endsWith(".schema.json") ? [`${prefix}${entry.name}`] : [];
  });
}

const pascal = (name) => name.split(/[^A-Za-z0-9]+/).filter(Boolean).map((p) => p[0].toUpperCase() + p.slice(1)).join("");
// The current version's bundle (schemas/bundle/ may also hold older versions'): the version is in the $id.
const version = readJson(join(schemas, "package.schema.json")).$id.split("/").at(-2);
const bundleFile = `sharedoutcomes-${version}.schema.json`;
const bundle = readJson(join(schemas, "bundle", bundleFile));
const separate = schemaFiles(schemas).map((name) => [name, readJson(join(schemas, name))]);

// 1. The bundle, compiled on its own.
const withBundle = newAjv();
withBundle.addSchema(bundle);
// 2. The separate files, each added by its $id (the meta-schemas describe schemas: not added here).
const withFiles = newAjv();
for (const [name, document] of separate) if (!name.startsWith("meta/")) withFiles.addSchema(document);

// 2b. Each frozen version's files. 0.1 wrote its codelist links as keywords of their own (`codelist`,
// `openCodelist`), which Ajv's strict mode refuses unless they are declared: declared here, strict mode stays on.
const frozen = Object.fromEntries(readdirSync(schemas, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && FROZEN.test(entry.name))
  .map((entry) => {
    const ajv = newAjv();
    ajv.addVocabulary(["codelist", "openCodelist"]);
    for (const name of schemaFiles(join(schemas, entry.name))) ajv.addSchema(readJson(join(schemas, entry.name, name)));
    return [entry.name, ajv];
  }));

const validators = (schemaName) => {
  const old = schemaName.match(/^(\d+\.\d+)\/(.+)$/);
  if (old) {
    const [, frozenVersion, name] = old;
    return { [`files ${frozenVersion}`]: frozen[frozenVersion].getSchema(`https://schemas.sharedoutcomes.org/${frozenVersion}/${name}.schema.json`) };
  }
  return current(schemaName);
};
const current = (schemaName) => ({
  bundle: withBundle.compile({ $ref: `${bundle.$id}#/$defs/${pascal(schemaName)}` }),
  files: withFiles.getSchema(new URL(`${schemaName}.schema.json`, bundle.$id.replace(/bundle\/[^/]*$/, "")).href),
});

let cases = 0;
const failures = [];
for (const file of readdirSync(join(root, "tests", "conformance")).filter((n) => n.endsWith(".json")).sort()) {
  for (const group of readJson(join(root, "tests", "conformance", file))) {
    const compiled = validators(group.schema);
    for (const test of group.tests) {
      const expected = !test.problems.some((p) => p.rule.startsWith("schema.") && p.severity === "error");
      for (const [how, validate] of Object.entries(compiled)) {
        cases += 1;
        if (validate(test.data) !== expected) {
          const errors = (validate.errors || []).map((e) => `${e.instancePath} ${e.message}`).join("; ");
          failures.push(`${file}: ${group.description} / ${test.description} (${how}): Ajv says ${!expected}, the corpus ${expected}${errors ? ` (${errors})` : ""}`);
        }
      }
    }
  }
}

// 3. Every published schema against the dialect meta-schema (the codelist vocabulary's rule).
const withMeta = newAjv();
const metas = separate.filter(([name]) => name.startsWith("meta/"));
for (const [, document] of metas) withMeta.addSchema(document);
const dialect = withMeta.getSchema(metas.map(([, d]) => d.$id).find((id) => id.endsWith("/dialect.schema.json")));
for (const [name, document] of separate) {
  cases += 1;
  if (!dialect(document)) failures.push(`${name}: not valid against the dialect: ${JSON.stringify(dialect.errors)}`);
}

const unexpected = warnings.filter((w) => !EXPECTED_WARNING.test(w));
for (const warning of unexpected) failures.push(`unexpected Ajv warning: ${warning}`);
if (failures.length) {
  console.error(failures.join("\n"));
  console.error(`${failures.length} of ${cases} checks failed`);
  process.exit(1);
}
console.log(`Ajv ${withBundle.constructor.name} (strict): ${cases} checks agree with the corpus (bundle ${bundleFile} and the separate files)`);
