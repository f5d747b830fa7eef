import type {Key} from 'ink';

// eslint-disable-next-line no-control-regex
const controlChars = /[\u0000-\u001f\u007f-\u009f]/g;

/**
 * One line-editing step shared by TextInput and Confirm: the new value, or undefined when the key is not an
 * edit (enter, esc, arrows, ctrl/alt chords are for the caller or ignored). The cursor is always at the end.
 */
export function editLine(value: string, input: string, key: Key): string | undefined {
	// ink reports the terminal's DEL (0x7f, what most terminals send for Backspace) as `delete`.
	if (key.backspace || key.delete) return Array.from(value).slice(0, -1).join('');
	if (key.ctrl && input === 'u') return '';
	if (key.ctrl && input === 'w') return value.replace(/\S*\s*$/, '');
	if (key.ctrl || key.meta || key.return || key.escape || key.tab) return undefined;
	if (key.upArrow || key.downArrow || key.leftArrow || key.rightArrow || key.pageUp || key.pageDown) return undefined;
	const text = input.replace(controlChars, '');
	return text ? value + text : undefined;
}
