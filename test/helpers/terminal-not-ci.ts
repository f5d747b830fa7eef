// Stands in for `is-in-ci` under vitest: the screen tests render into a fake terminal, so ink must behave as on a
// real one whether or not the suite itself runs in CI (where ink would otherwise draw only the final frame).
export default false;
