/**
 * Where the War room's parts go, as a pure function of the terminal's size: the incident banner line (when
 * there is one), a row of large status tiles, then a grid of detail panes. When the grid cannot hold every
 * pane at a readable size (80x24), it shows a page of them at a time and the pages cycle by themselves, so no
 * key is needed to see everything.
 */
export type DetailPaneId = 'services' | 'stats' | 'alerts' | 'metrics' | 'errors' | 'kubernetes';

export type PaneBox = {id: DetailPaneId; x: number; y: number; width: number; height: number};

export type WarRoomLayout = {
	bannerHeight: number;
	tileHeight: number;
	/** Each tile's width, left to right (they fill the width exactly). */
	tileWidths: number[];
	/** The detail panes shown now, in rows; `y` is counted from the top of the grid. */
	panes: PaneBox[];
	gridHeight: number;
	/** Pages of panes: 1 when all fit; otherwise the page shown is `page` of `pages`, and they cycle. */
	page: number;
	pages: number;
};

/** Below these a pane stops being readable: a table of a few rows with its header and frame. */
export const minPaneWidth = 60;
export const minPaneHeight = 8;
/** Large tiles (five lines: frame, state, two details) from this height on; three-line tiles below. */
export const largeTilesFromRows = 36;

/** Splits `total` into `parts` whole numbers that differ by at most one, the larger ones first. */
export function split(total: number, parts: number): number[] {
	const base = Math.floor(total / parts);
	const extra = total - base * parts;
	return Array.from({length: parts}, (_, i) => base + (i < extra ? 1 : 0));
}

export function warRoomLayout(width: number, height: number, options: {tiles: number; panes: readonly DetailPaneId[]; banner: boolean; page?: number}): WarRoomLayout {
	const bannerHeight = options.banner ? 1 : 0;
	const tileHeight = height >= largeTilesFromRows ? 5 : 3;
	const tileWidths = options.tiles > 0 ? split(width, options.tiles) : [];
	const gridHeight = Math.max(0, height - bannerHeight - (tileWidths.length > 0 ? tileHeight : 0));
	const columns = Math.max(1, Math.min(3, Math.floor(width / minPaneWidth)));
	const rows = Math.max(1, Math.floor(gridHeight / minPaneHeight));
	const perPage = Math.max(1, Math.min(options.panes.length, columns * rows));
	const pages = Math.max(1, Math.ceil(options.panes.length / perPage));
	const page = ((options.page ?? 0) % pages + pages) % pages;
	const shown = options.panes.slice(page * perPage, page * perPage + perPage);
	// As few grid rows as the shown panes need; a row's panes share its width, so a short last row is wider.
	const columnsUsed = Math.min(columns, shown.length);
	const rowCount = Math.max(1, Math.ceil(shown.length / Math.max(1, columnsUsed)));
	const heights = split(gridHeight, rowCount);
	const panes: PaneBox[] = [];
	let y = 0;
	for (let row = 0; row < rowCount; row++) {
		const inRow = shown.slice(row * columnsUsed, row * columnsUsed + columnsUsed);
		const widths = split(width, inRow.length);
		let x = 0;
		inRow.forEach((id, i) => {
			panes.push({id, x, y, width: widths[i]!, height: heights[row]!});
			x += widths[i]!;
		});
		y += heights[row]!;
	}
	return {bannerHeight, tileHeight, tileWidths, panes, gridHeight, page, pages};
}
