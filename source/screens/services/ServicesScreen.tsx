import React, {useMemo, useState} from 'react';
import {Pane} from '../../components/Pane.js';
import {Table} from '../../components/Table.js';
import {useAppContext, useAppState} from '../../hooks/AppContext.js';
import {useResourceStatus} from '../../hooks/useResourceStatus.js';
import {useKeymap} from '../../hooks/useKeymap.js';
import {useListSelection} from '../../hooks/useListSelection.js';
import {useOpenRunbooks} from '../../hooks/useRunbooks.js';
import {useServiceRows} from '../../hooks/useServiceRows.js';
import {useTheme} from '../../theme/ThemeContext.js';
import type {ScreenProps} from '../registry.js';
import {serviceColumns} from './columns.js';
import {ServiceDetail} from './ServiceDetail.js';

/** One row per configured service; enter opens the detail view (inspect fields, last health bodies). */
export function ServicesScreen({width, height, active}: ScreenProps) {
	const theme = useTheme();
	const {latencyTargetMs} = useAppContext();
	const rows = useServiceRows();
	const status = useResourceStatus('containers', 'health');
	const dockerError = status.error;
	const [detailOpen, setDetailOpen] = useState(false);
	const selection = useListSelection(rows.length, height - 4);
	const columns = useMemo(() => serviceColumns(latencyTargetMs, theme.glyph.status), [latencyTargetMs, theme]);
	const selected = rows[selection.index];
	const showLogs = useAppState(s => s.showLogs);
	const openRunbooks = useOpenRunbooks();
	const logsOfSelection = () => (selected ? showLogs([selected.name]) : undefined);
	const runbooksOfSelection = () => openRunbooks({service: selected?.name});
	useKeymap(
		detailOpen
			? {back: () => setDetailOpen(false), serviceLogs: logsOfSelection, runbooks: runbooksOfSelection}
			: {...selection.handlers, select: () => setDetailOpen(rows.length > 0), serviceLogs: logsOfSelection, runbooks: runbooksOfSelection},
		{isActive: active},
	);
	if (detailOpen && selected) {
		return (
			<Pane title={`Service ${selected.name}`} info="esc back  l logs" status={status} width={width} height={height} focused>
				<ServiceDetail row={selected} now={Date.now()} width={width - 2} height={height - 2} />
			</Pane>
		);
	}
	return (
		<Pane title="Services" info={`${rows.filter(r => r.ok).length}/${rows.length} ok`} status={status} width={width} height={height} focused={active}>
			<Table columns={columns} rows={rows} rowKey={row => row.name} selectedIndex={selection.index} height={height - (dockerError ? 3 : 2)} width={width - 2} />
		</Pane>
	);
}
