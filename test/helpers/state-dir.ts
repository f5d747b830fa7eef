import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll} from 'vitest';

/**
 * Every test file keeps its state (audit log, incidents, alert journal) in a directory of its own: a test that
 * builds an environment without a `stateDir` must not write into the operator's real ~/.local/state/botops, nor
 * read what another file's runs left there (the Runbooks screen lists recent runs).
 */
const directory = mkdtempSync(join(tmpdir(), 'botops-test-state-'));
process.env['XDG_STATE_HOME'] = directory;
afterAll(() => rmSync(directory, {recursive: true, force: true}));
