// The CommonJS entry of the bundle (see scripts/build-actions.mjs): sha-tag runs in every build, and a
// CommonJS bundle starts faster than an ES module one.
require('./main.ts').run();
