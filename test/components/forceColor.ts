// Imported first by component tests: chalk (inside ink) decides its colour level when it is first loaded, and
// the test runner's stdout is not a terminal, so without this every frame would be plain and a
// "no colour codes" assertion could never fail.
process.env['FORCE_COLOR'] = '1';
