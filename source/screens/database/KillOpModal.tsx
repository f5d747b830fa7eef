import {Box, Text} from 'ink';
import React, {useState} from 'react';
import {Confirm} from '../../components/Confirm.js';
import {Modal} from '../../components/Modal.js';
import {paneContentSize} from '../../components/Pane.js';
import type {CurrentOp} from '../../database/current-ops.js';
import {useAppContext, useAppState} from '../../hooks/AppContext.js';
import {keyPriority, useKeypress} from '../../hooks/KeypressContext.js';
import {useTheme} from '../../theme/ThemeContext.js';
import {formatDuration, truncate} from '../../util/format.js';

type Stage = {kind: 'confirm'} | {kind: 'working'} | {kind: 'done'; ok: boolean; detail: string; at: number};

/** The built-in runbook the kill goes through, so that it is planned, refused in read-only mode and audited like any run. */
export const killOpRunbook = 'db-kill-op';

/** What the operator sees before killing: the operation as it was when the dialog opened. */
export function killOpLines(op: CurrentOp): string[] {
	return [
		`opid      ${op.opid}`,
		`namespace ${op.ns || '-'}`,
		`client    ${[op.service, op.appName && op.appName !== op.service ? `(${op.appName})` : undefined, op.client].filter(Boolean).join(' ') || '-'}`,
		`running   ${formatDuration(op.runningMs)}`,
		`operation ${op.op}${op.planSummary ? ` ${op.planSummary}` : ''}`,
		`command   ${op.command}`,
	];
}

/**
 * Kill-op (manual §4.3 `db.killOp(opid)`): shows the operation, asks with Cancel as the default (the typed
 * environment name on a protected environment), runs the db-kill-op runbook (audited), then says whether the
 * operation is gone once the next $currentOp has come in.
 */
export function KillOpModal({width, height}: {width: number; height: number}) {
	const modal = useAppState(s => s.modal);
	if (modal?.type !== 'killOp') return null;
	return <KillOp key={String(modal.opid)} opid={modal.opid} width={width} height={height} />;
}

function KillOp({opid, width, height}: {opid: number | string; width: number; height: number}) {
	const theme = useTheme();
	const {environment, runbooks, refreshNow, readOnly} = useAppContext();
	const closeModal = useAppState(s => s.closeModal);
	const ops = useAppState(s => s.database.data.ops);
	const [op] = useState(() => ops.value?.find(o => o.opid === opid));
	const [stage, setStage] = useState<Stage>({kind: 'confirm'});
	const boxWidth = Math.min(width, 90);
	// The operation (6 lines), a gap, the question (up to 4 lines), the hints and the border.
	const boxHeight = Math.min(height, 15);
	const content = paneContentSize(boxWidth, boxHeight);
	const fit = (text: string) => truncate(theme.text(text), content.width, theme.glyph.ellipsis);

	useKeypress(
		name => {
			if (stage.kind === 'working') return true;
			if (stage.kind === 'done' || !op) {
				if (name === 'escape' || name === 'enter' || name === 'q') closeModal();
				return true;
			}
			return false;
		},
		{isActive: stage.kind !== 'confirm' || !op, priority: keyPriority.modal},
	);

	const kill = async () => {
		if (!op) return;
		setStage({kind: 'working'});
		const answer = environment.protected ? environment.name : true;
		const result = await runbooks.runDirect(killOpRunbook, {opid: String(op.opid), ns: op.ns}, answer);
		const at = Date.now();
		setStage({kind: 'done', ok: result.ok, detail: result.detail, at});
		refreshNow();
	};

	const after = stage.kind === 'done' && ops.updatedAt > stage.at ? (ops.value?.some(o => o.opid === opid) ? 'still there' : 'gone') : undefined;
	const hints = stage.kind === 'done' || !op ? [{key: 'esc/enter', label: 'close'}] : [];
	return (
		<Modal title="Kill operation" info={environment.name} infoTone={environment.protected ? 'prod' : 'muted'} width={boxWidth} height={boxHeight} areaWidth={width} areaHeight={height} hints={hints}>
			{!op ? (
				<Text color={theme.color('warn')}>{fit(`operation ${opid} is no longer running`)}</Text>
			) : (
				<Box flexDirection="column">
					{killOpLines(op).map(line => (
						<Text key={line.slice(0, 9)} wrap="truncate">
							{fit(line)}
						</Text>
					))}
					<Text> </Text>
					{stage.kind === 'confirm' ? (
						<Confirm
							message={readOnly ? `read-only mode: the kill will be refused (and audited)` : `Kill operation ${op.opid} on ${environment.name}? It stops at its next interrupt point.`}
							typeToConfirm={environment.protected ? environment.name : undefined}
							width={content.width}
							onConfirm={() => void kill()}
							onCancel={closeModal}
						/>
					) : stage.kind === 'working' ? (
						<Text>{fit(`killing operation ${op.opid}${theme.glyph.ellipsis}`)}</Text>
					) : (
						<>
							<Text wrap="truncate" color={theme.color(stage.ok ? 'ok' : 'crit')}>
								{fit(`${stage.ok ? theme.glyph.status.ok : theme.glyph.status.crit} killOp ${stage.ok ? 'sent' : 'failed'}: ${stage.detail}`)}
							</Text>
							{stage.ok ? (
								<Text wrap="truncate" color={theme.color(after === 'gone' ? 'ok' : after === 'still there' ? 'warn' : 'muted')}>
									{fit(after === undefined ? `checking $currentOp${theme.glyph.ellipsis}` : after === 'gone' ? `operation ${op.opid} is gone` : `operation ${op.opid} is still there (it stops at its next interrupt point)`)}
								</Text>
							) : null}
						</>
					)}
				</Box>
			)}
		</Modal>
	);
}
