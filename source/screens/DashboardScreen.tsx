import {Box} from 'ink';
import React, {useMemo} from 'react';
import {Pane} from '../components/Pane.js';
import {Table} from '../components/Table.js';
import {useAppContext, useAppState} from '../hooks/AppContext.js';
import {useResourceStatus} from '../hooks/useResourceStatus.js';
import {useKeymap} from '../hooks/useKeymap.js';
import {useServiceRows} from '../hooks/useServiceRows.js';
import {selectStatsRows} from '../store/selectors.js';
import {useTheme} from '../theme/ThemeContext.js';
import type {ScreenProps} from './registry.js';
import {serviceColumns} from './services/columns.js';
import {fitColumns, statsColumns} from './stats/columns.js';

/** Services and the busiest containers at a glance; enter on a pane opens its screen. */
export function DashboardScreen({width, height, active}: ScreenProps) {
	const theme = useTheme();
	const {latencyTargetMs} = useAppContext();
	const setScreen = useAppState(s => s.setScreen);
	const serviceRows = useServiceRows();
	const containers = useAppState(s => s.containers);
	const stats = useAppState(s => s.stats);
	const statsRows = useMemo(() => selectStatsRows({containers, stats}, 'cpu', true), [containers, stats]);
	const serviceCols = useMemo(() => serviceColumns(latencyTargetMs, theme.glyph.status), [latencyTargetMs, theme]);
	const statsCols = useMemo(() => fitColumns(statsColumns(theme.glyph.spark), width - 2), [theme, width]);
	const servicesStatus = useResourceStatus('containers', 'health');
	const statsStatus = useResourceStatus('containers', 'stats');
	const dockerError = servicesStatus.error;
	useKeymap({select: () => setScreen('services')}, {isActive: active});

	const servicesHeight = Math.min(serviceRows.length + 3 + (dockerError ? 1 : 0), Math.floor(height / 2));
	const statsHeight = height - servicesHeight;
	const ok = serviceRows.filter(r => r.ok).length;
	return (
		<Box flexDirection="column" width={width} height={height}>
			<Pane title="Services" info={`${ok}/${serviceRows.length} ok`} status={servicesStatus} width={width} height={servicesHeight}>
				<Table columns={serviceCols} rows={serviceRows} rowKey={row => row.name} height={servicesHeight - 2 - (dockerError ? 1 : 0)} width={width - 2} />
			</Pane>
			<Pane title="Containers by CPU" info={`${statsRows.length} containers`} status={statsStatus} width={width} height={statsHeight}>
				<Table columns={statsCols} rows={statsRows} rowKey={row => row.container.id} height={statsHeight - 2 - (statsStatus.error ? 1 : 0)} width={width - 2} />
			</Pane>
		</Box>
	);
}
