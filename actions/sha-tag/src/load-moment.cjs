// moment is required on first use, not at start: loading it costs about 4 ms, an eighth of a bare node
// start, and most runs render no {{date}}. A CommonJS require stays lazy in the bundle (an ES import would
// be evaluated when the bundle starts).
let moment;
module.exports = function loadMoment() {
  return (moment ??= require('moment/min/moment.min.js'));
};
