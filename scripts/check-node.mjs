// Runs before the tests: the actions run on node24, so the tests must too (see .nvmrc and scripts/install-node.sh).
const wanted = Number(
  (await import('node:fs')).readFileSync(new URL('../.nvmrc', import.meta.url), 'utf8').split('.')[0],
);
const major = Number(process.versions.node.split('.')[0]);
if (major < wanted) {
  console.error(
    `The tests need Node.js ${wanted} (the actions declare runs.using: node${wanted}), but this is ${process.version}.\n` +
      `Install it and put it first on PATH: eval "$(scripts/install-node.sh)"`,
  );
  process.exit(1);
}
