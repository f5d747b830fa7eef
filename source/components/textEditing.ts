/**
 * One line-editing step, shared by every text line (TextInput, Confirm, the Logs screen's pattern line): the new
 * value for a key name from the keyboard dispatcher, or undefined when the key is not an edit (enter, esc,
 * arrows, other chords are for the caller). The cursor is always at the end.
 */
export function editLine(value: string, name: string): string | undefined {
	if (name === 'backspace') return Array.from(value).slice(0, -1).join('');
	if (name === 'ctrl-u') return '';
	if (name === 'ctrl-w') return value.replace(/\S*\s*$/, '');
	// Names of one character are typed text; longer ones are keys (up, tab, ctrl-x).
	// eslint-disable-next-line no-control-regex
	return Array.from(name).length === 1 && !/[\u0000-\u001f\u007f-\u009f]/.test(name) ? value + name : undefined;
}
