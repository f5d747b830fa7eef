// Replaces the `is-in-ci` package for ink. Ink draws only the final frame when it believes it runs in CI, but the
// dashboard only ever runs on a terminal, where a live screen is what was asked for even with CI set (a tmux
// end-to-end test in CI, an operator's shell that exports CI). Output that is not a terminal keeps ink's CI mode.
const set = key => key in process.env && process.env[key] !== '0' && process.env[key] !== 'false';

export default (set('CI') || set('CONTINUOUS_INTEGRATION')) && !process.stdout.isTTY;
