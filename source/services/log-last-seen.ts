import type {RawLine} from '../logs/parse.js';
import type {RawLogLine} from './types.js';

/**
 * Since-last-seen for one container: a reconnect asks the engine for lines from the last one delivered, and
 * the engine's `since` is whole seconds, so it sends some again. This drops them: everything before the last
 * line's ms, and, at exactly that ms, as many copies of each line as were delivered.
 */
export class LastSeen {
	/** Epoch ms of the last line delivered; -Infinity before the first. */
	time = -Infinity;
	/** The lines delivered at exactly `time`, counted by stream and text. */
	private readonly atTime = new Map<string, number>();

	/** Whether a line was delivered yet (a reconnect then asks from `time`). */
	get any(): boolean {
		return Number.isFinite(this.time);
	}

	/** Carries the position over to the container that replaces this one (compose recreated it). */
	continueFrom(previous: LastSeen): void {
		this.time = previous.time;
	}

	/** The lines not delivered before, in order; `now` stands in for a missing timestamp. */
	accept(lines: readonly RawLogLine[], now: number): RawLine[] {
		const kept: RawLine[] = [];
		for (const line of lines) {
			const time = line.time ?? now;
			if (time < this.time) continue;
			if (time === this.time) {
				const key = line.stream + line.text;
				const seen = this.atTime.get(key) ?? 0;
				if (seen > 0) {
					this.atTime.set(key, seen - 1);
					continue;
				}
			} else {
				this.atTime.clear();
				this.time = time;
			}
			kept.push(line);
		}
		// Count the kept lines at the boundary ms, for the next reconnect.
		for (let i = kept.length - 1; i >= 0 && (kept[i]!.time ?? -1) === this.time; i--) {
			const key = kept[i]!.stream + kept[i]!.text;
			this.atTime.set(key, (this.atTime.get(key) ?? 0) + 1);
		}
		return kept;
	}
}
