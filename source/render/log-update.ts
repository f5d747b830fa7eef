/**
 * ink's log-update (the part of ink that writes each frame to the terminal), with the same interface, writing only
 * the cells that changed (FrameWriter). scripts/build.mjs puts it in place of ink 6.8's own in the bundle, whose
 * incremental mode rewrites every changed line whole and moves the cursor back down past the frame after each one.
 */
import type {Writable} from 'node:stream';
import {FrameWriter} from './frame-writer.js';

type CursorPosition = {x: number; y: number};

export type LogUpdate = {
	(frame: string): boolean;
	clear(): void;
	done(): void;
	sync(frame: string): void;
	setCursorPosition(position: CursorPosition | undefined): void;
	isCursorDirty(): boolean;
	willRender(frame: string): boolean;
};

type TerminalStream = Writable & {columns?: number; rows?: number};

const hideCursor = '\u001B[?25l';
const showCursor = '\u001B[?25h';

/** ink ends a frame shorter than the terminal with a newline; the lines are what comes before it. */
const linesOf = (frame: string) => (frame === '' ? [] : (frame.endsWith('\n') ? frame.slice(0, -1) : frame).split('\n'));

function create(stream: TerminalStream, {showCursor: keepCursorShown = false}: {showCursor?: boolean; incremental?: boolean} = {}): LogUpdate {
	const writer = new FrameWriter();
	let previousFrame: string | undefined;
	let cursorHidden = false;
	let cursor: CursorPosition | undefined;
	let cursorDirty = false;
	let shownCursor: CursorPosition | undefined;
	const size = () => ({columns: stream.columns || 80, rows: stream.rows || 24});
	// A resize may reflow or clear what the terminal shows: the next frame is drawn whole.
	const onResize = () => writer.forget();
	stream.on('resize', onResize);

	const activeCursor = () => (cursorDirty ? cursor : undefined);
	const cursorMoved = (next: CursorPosition | undefined) => next?.x !== shownCursor?.x || next?.y !== shownCursor?.y;
	const willRender = (frame: string) => frame !== previousFrame || cursorMoved(activeCursor()) || !writer.knowsScreen();

	const render = ((frame: string): boolean => {
		const target = activeCursor();
		cursorDirty = false;
		if (frame === previousFrame && !cursorMoved(target) && writer.knowsScreen()) return false;
		let out = '';
		if (!keepCursorShown && !cursorHidden) {
			out += hideCursor;
			cursorHidden = true;
		}
		if (shownCursor) out += hideCursor;
		const {columns, rows} = size();
		out += writer.frame(linesOf(frame), columns, rows);
		if (target) out += writer.moveTo(target.y, target.x) + showCursor;
		shownCursor = target ? {...target} : undefined;
		previousFrame = frame;
		if (out !== '') stream.write(out);
		return true;
	}) as LogUpdate;

	render.clear = () => {
		stream.write((shownCursor ? hideCursor : '') + writer.clear());
		// ink clears to write something of its own on the screen: the next frame cannot assume a blank screen.
		writer.forget();
		shownCursor = undefined;
		previousFrame = undefined;
	};
	render.done = () => {
		writer.forget();
		previousFrame = undefined;
		shownCursor = undefined;
		stream.off('resize', onResize);
		if (!keepCursorShown && cursorHidden) {
			stream.write(showCursor);
			cursorHidden = false;
		}
	};
	render.sync = (frame: string) => {
		const {columns, rows} = size();
		writer.assume(linesOf(frame), columns, rows);
		previousFrame = frame;
		const target = activeCursor();
		cursorDirty = false;
		if (shownCursor && !target) stream.write(hideCursor);
		if (target) stream.write(writer.moveTo(target.y, target.x) + showCursor);
		shownCursor = target ? {...target} : undefined;
	};
	render.setCursorPosition = position => {
		cursor = position;
		cursorDirty = true;
	};
	render.isCursorDirty = () => cursorDirty;
	render.willRender = willRender;
	return render;
}

const logUpdate = {create};
export default logUpdate;
