// moment is required on first use, not at start: loading it costs 3-4 ms of CPU (a bare node start is
// about 25 ms) and most runs render no {{date}}. A CommonJS require stays lazy in the bundle; an ES
// import would be evaluated when the bundle starts.
let moment;
module.exports = function loadMoment() {
  return (moment ??= require('moment/min/moment.min.js'));
};
