import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

/**
 * Every test process keeps its state (audit log, incidents, alert journal) in a directory of its own: a test that
 * builds an environment without a `stateDir` must not write into the operator's real ~/.local/state/botops, nor
 * read what an earlier run left there.
 */
export default function setup(): () => void {
	const directory = mkdtempSync(join(tmpdir(), 'botops-test-state-'));
	process.env['XDG_STATE_HOME'] = directory;
	return () => rmSync(directory, {recursive: true, force: true});
}
