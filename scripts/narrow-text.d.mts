/** A regular expression source `^[...]*$` matching text whose string-width is its length (scripts/narrow-text.mjs). */
export function narrowTextPattern(): string;
