import type {Key} from 'ink';

const controlNames: Record<string, string> = {'\r': 'enter', '\n': 'enter', '\t': 'tab', '\u007F': 'backspace', '\b': 'backspace', '\u001B': 'escape'};

/** Ink's (input, key) pair as one name the keymap uses: "q", "G", "enter", "ctrl-r", "shift-tab", "pagedown". */
export function keyName(input: string, key: Key): string {
	if (key.upArrow) return 'up';
	if (key.downArrow) return 'down';
	if (key.leftArrow) return 'left';
	if (key.rightArrow) return 'right';
	if (key.pageUp) return 'pageup';
	if (key.pageDown) return 'pagedown';
	if (key.home) return 'home';
	if (key.end) return 'end';
	if (key.return) return 'enter';
	if (key.escape) return 'escape';
	if (key.tab) return key.shift ? 'shift-tab' : 'tab';
	if (key.backspace || key.delete) return 'backspace';
	if (key.ctrl && input) return `ctrl-${input.toLowerCase()}`;
	return input;
}

/**
 * The key names in one input event. Ink delivers printable text that arrived in one read as one event ("2\r"
 * when keys are typed fast or batched by a slow SSH link); a keyboard-driven screen wants each key on its own.
 */
export function keyNames(input: string, key: Key): string[] {
	const single = keyName(input, key);
	if (single !== input || input.length <= 1 || key.ctrl || key.meta) return [single];
	return Array.from(input, char => controlNames[char] ?? char);
}
