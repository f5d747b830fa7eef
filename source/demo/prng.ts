/** A small seedable PRNG (mulberry32): the demo must replay the same world for the same seed. */
export class Prng {
	private state: number;

	constructor(seed: number) {
		this.state = seed >>> 0;
	}

	/** Uniform in [0, 1). */
	next(): number {
		this.state = (this.state + 0x6d2b79f5) >>> 0;
		let t = this.state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
	}

	range(min: number, max: number): number {
		return min + (max - min) * this.next();
	}

	/** Integer in [min, max]. */
	int(min: number, max: number): number {
		return min + Math.floor((max - min + 1) * this.next());
	}

	chance(probability: number): boolean {
		return this.next() < probability;
	}

	pick<T>(items: readonly T[]): T {
		return items[Math.floor(this.next() * items.length)];
	}

	/** Roughly normal (Irwin-Hall of 4), mean 0 and standard deviation 1. */
	gauss(): number {
		return (this.next() + this.next() + this.next() + this.next() - 2) * Math.sqrt(3);
	}

	hex(length: number): string {
		let out = '';
		while (out.length < length) out += Math.floor(this.next() * 0x1_0000_0000).toString(16).padStart(8, '0');
		return out.slice(0, length);
	}

	/** Poisson-distributed count, for "about N log lines this tick". */
	poisson(mean: number): number {
		if (mean <= 0) return 0;
		const limit = Math.exp(-mean);
		let count = 0;
		let product = this.next();
		while (product > limit && count < 1000) {
			count++;
			product *= this.next();
		}
		return count;
	}
}
