import {Box, Text} from 'ink';
import React, {useMemo, useRef, useState} from 'react';
import {Pane, paneContentSize} from '../../components/Pane.js';
import {compileSearch, type Search} from '../../logs/filter.js';
import type {LogRecord} from '../../logs/record.js';
import {useAppContext, useAppState} from '../../hooks/AppContext.js';
import {useKeymap} from '../../hooks/useKeymap.js';
import {useLogStream} from '../../hooks/useLogStream.js';
import {useNow} from '../../hooks/useNow.js';
import {useResourceStatus} from '../../hooks/useResourceStatus.js';
import {useTheme} from '../../theme/ThemeContext.js';
import {fitCell} from '../../util/format.js';
import type {ScreenProps} from '../registry.js';
import {serviceColour} from './colours.js';
import {type DisplayLine, type LineLayout, recordLines} from './lines.js';
import {LogLine} from './LogLine.js';
import {PatternInput} from './PatternInput.js';
import {useLogKeys, type InputKind} from './useLogKeys.js';
import {ServiceChooser} from './ServiceChooser.js';
import {StatusBar} from './StatusBar.js';
import {useLineRates} from './useLineRates.js';
import {useMatchCount} from './useMatchCount.js';
import {viewportTop} from './viewport.js';

const count = (n: number) => n.toLocaleString('en-US');

const inputPrompt: Record<InputKind, string> = {search: '/', include: 'include /', exclude: 'exclude /'};

function searchOf(pattern: string): Search | undefined {
	if (!pattern) return undefined;
	try {
		return compileSearch(pattern);
	} catch {
		return undefined;
	}
}

/**
 * Every service's logs merged in time order, filtered, searchable. Only the rows on screen are built (cached
 * per record), and the screen renders once per store commit (≤ 10 a second) however fast lines arrive.
 */
export function LogsScreen({width, height, active}: ScreenProps) {
	const theme = useTheme();
	const view = useAppState(s => s.logs.view);
	const streams = useAppState(s => s.logs.streams);
	const knownServices = useAppState(s => s.logs.services);
	const stream = useLogStream(view);
	const {list, first, shown, total, dropped} = stream;
	const [chooserOpen, setChooserOpen] = useState(false);
	const now = useNow(1000);
	const status = useResourceStatus('logs');

	const content = paneContentSize(width, height, status.error);
	const bodyHeight = Math.max(1, content.height - 2);
	const search = useMemo(() => searchOf(view.search), [view.search]);
	const serviceWidth = Math.min(24, Math.max(4, ...knownServices.map(s => s.length)));
	const layout = useMemo<LineLayout>(
		() => ({
			width: content.width,
			serviceWidth,
			timestamps: view.timestamps,
			wrap: view.wrap,
			pretty: view.pretty,
			search,
			ellipsis: theme.glyph.ellipsis,
			serviceColour: (service, instance) => serviceColour(service, theme.noColor, instance),
		}),
		[content.width, serviceWidth, view.timestamps, view.wrap, view.pretty, search, theme],
	);
	const layoutKey = `${content.width}|${serviceWidth}|${view.timestamps}|${view.wrap}|${view.pretty}|${view.search}|${bodyHeight}`;
	// Display lines per record, carried from one frame to the next for the records still in view, so a new frame
	// lays out only its new rows. Only what the last frame used is kept: a cache of every record ever drawn held
	// its layout for as long as the record stayed in the 100k-line buffer (2-3 KB a line, seen in the soak).
	const cache = useRef<{key: string; lines: Map<LogRecord, DisplayLine[]>}>({key: '', lines: new Map()});
	const carried = cache.current.key === layoutKey ? cache.current.lines : undefined;
	const used = new Map<LogRecord, DisplayLine[]>();
	const linesOf = (position: number): DisplayLine[] => {
		const record = shown.at(position)!;
		let lines = used.get(record) ?? carried?.get(record);
		if (!lines) lines = recordLines(record, layout, bodyHeight);
		used.set(record, lines);
		return lines;
	};

	const size = shown.length;
	const cursor = view.follow || view.cursor === undefined ? undefined : Math.min(size - 1, Math.max(0, list.positionOf(view.cursor) - first));
	const topAbsolute = useRef(0);
	const previousTop = Math.max(0, list.positionOf(topAbsolute.current) - first);
	const top = viewportTop(size, bodyHeight, cursor, previousTop, position => linesOf(position).length);
	if (size > 0) topAbsolute.current = list.absoluteIndex(first + top);
	const newLines = !view.follow && view.pausedAt !== undefined ? list.length - list.positionOf(view.pausedAt) : 0;

	const matchText = useMatchCount(list, first, search, cursor);
	const rates = useLineRates(now);

	const keys = useLogKeys({view, shown, list, first, cursor, pageSize: bodyHeight, services: knownServices, openChooser: () => setChooserOpen(true), active});
	const captured = chooserOpen || keys.input !== undefined;
	useKeymap(keys.handlers, {isActive: active && !captured});

	const rows: React.ReactElement[] = [];
	for (let position = top; position < size && rows.length < bodyHeight; position++) {
		const absolute = list.absoluteIndex(first + position);
		const lines = linesOf(position);
		for (let i = 0; i < lines.length && rows.length < bodyHeight; i++) {
			const selected = position === cursor && i === 0;
			rows.push(<LogLine key={`${absolute}:${i}`} id={`${absolute}:${i}|${layoutKey}`} line={lines[i]!} selected={selected} />);
		}
	}
	cache.current = {key: layoutKey, lines: used};

	const info = [
		`${count(size)} of ${count(total)} lines`,
		dropped > 0 ? `${count(dropped)} dropped` : '',
		view.follow ? 'FOLLOW' : newLines > 0 ? `PAUSED ${count(newLines)} new` : 'PAUSED',
	]
		.filter(Boolean)
		.join('  ');

	const bottom = () => {
		if (keys.input) {
			return (
<PatternInput prompt={inputPrompt[keys.input.kind]} value={keys.input.value} width={content.width} />
			);
		}
		if (keys.notice) {
			return <Text color={theme.color(keys.notice.tone)}>{fitCell(theme.text(keys.notice.text), content.width, 'left', theme.glyph.ellipsis)}</Text>;
		}
		const searchText = view.search ? `  /${view.search}/ ${matchText} n/N` : '';
		const text = view.follow
			? `following${theme.glyph.dash}f pauses, / search, e next error, s saves${searchText}`
			: `${newLines > 0 ? `${count(newLines)} new lines` : 'paused'}${theme.glyph.dash}f follows, G end${searchText}`;
		return <Text color={theme.color(view.follow ? 'muted' : 'warn')}>{fitCell(text, content.width, 'left', theme.glyph.ellipsis)}</Text>;
	};

	return (
		<Pane title="Logs" info={info} infoTone={dropped > 0 ? 'warn' : 'muted'} status={status} width={width} height={height} focused={active}>
			<StatusBar view={view} streams={streams} services={knownServices} width={content.width} now={now} rates={rates} dropped={dropped} />
			{chooserOpen ? (
				<ServiceChooser
					services={knownServices}
					chosen={view.services}
					width={content.width}
					height={bodyHeight}
					active={active}
					onApply={services => {
						setChooserOpen(false);
						keys.setServices(services);
					}}
					onCancel={() => setChooserOpen(false)}
				/>
			) : (
				<Box flexDirection="column" height={bodyHeight} overflow="hidden">
					{rows.length > 0 ? rows : <Text color={theme.color('muted')}>{total === 0 ? `waiting for log lines${theme.glyph.pending}` : 'no line matches the filters'}</Text>}
				</Box>
			)}
			<Box height={1}>{bottom()}</Box>
		</Pane>
	);
}
