import {Box, Text} from 'ink';
import React, {memo} from 'react';
import {useAppContext, useAppState} from '../hooks/AppContext.js';
import {useDataAge} from '../hooks/useDataAge.js';
import {useServiceRows} from '../hooks/useServiceRows.js';
import {useTheme} from '../theme/ThemeContext.js';
import {fitCell, formatAge} from '../util/format.js';

/** One line: environment (loud when protected), backend, service summary, data age, paused / read-only. */
export const Header = memo(function Header({width}: {width: number}) {
	const theme = useTheme();
	const {environment, readOnly, refreshMs} = useAppContext();
	const paused = useAppState(s => s.paused);
	const updatedAt = useAppState(s => Math.max(s.containers.updatedAt, s.health.updatedAt));
	const rows = useServiceRows();
	const healthy = rows.filter(r => r.ok).length;
	const summary = `${healthy}/${rows.length}`;
	const allOk = healthy === rows.length;
	const backend =
		environment.backend.type === 'compose' ? `compose ${environment.backend.project}` : `k8s ${environment.backend.namespace}`;
	const envLabel = environment.protected ? ` ${environment.name.toUpperCase()} ` : environment.name;
	const {stale, ageMs} = useDataAge(updatedAt, refreshMs * 2.5);
	const age = updatedAt === 0 ? 'waiting for data' : stale ? `data ${formatAge(ageMs)}` : `live, every ${refreshMs / 1000} s`;
	const flags = [paused ? 'PAUSED' : '', readOnly ? 'READ-ONLY' : ''].filter(Boolean).join(' ');
	const used = 8 + envLabel.length + backend.length + 3 + summary.length + 9;
	const rest = fitCell(`${age}${flags ? `  ${flags}` : ''}`, Math.max(0, width - used - 1), 'right', theme.glyph.ellipsis);
	return (
		<Box width={width} height={1}>
			<Text bold color={theme.color('accent')}>botops </Text>
			<Text bold inverse={environment.protected} color={theme.color(environment.protected ? 'prod' : 'accent')}>
				{envLabel}
			</Text>
			<Text color={theme.color('muted')}> ({backend}) </Text>
			<Text color={theme.color(allOk ? 'ok' : 'crit')}>
				{allOk ? theme.glyph.status.ok : theme.glyph.status.crit} {summary} ok
			</Text>
			<Text color={theme.color(paused || stale ? 'warn' : 'muted')}> {rest}</Text>
		</Box>
	);
});
