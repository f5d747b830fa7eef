import {Box, Text} from 'ink';
import React, {useState} from 'react';
import {keyPriority} from '../../hooks/KeypressContext.js';
import {useKeymap} from '../../hooks/useKeymap.js';
import {useListSelection} from '../../hooks/useListSelection.js';
import {useTheme} from '../../theme/ThemeContext.js';
import {fitCell} from '../../util/format.js';
import {serviceColour} from './colours.js';

export type ServiceChooserProps = {
	services: readonly string[];
	/** Currently shown services; undefined: all. */
	chosen?: readonly string[];
	/** Undefined when every service is chosen (new services then show up too). */
	onApply(services: readonly string[] | undefined): void;
	onCancel(): void;
	width: number;
	height: number;
	active: boolean;
};

/** A checklist of services: space toggles, `a` all or none, enter applies, esc cancels. */
export function ServiceChooser({services, chosen, onApply, onCancel, width, height, active}: ServiceChooserProps) {
	const theme = useTheme();
	const [picked, setPicked] = useState(() => new Set(chosen ?? services));
	const rows = Math.max(1, height - 2);
	const selection = useListSelection(services, service => service, rows);
	const toggle = (service: string) =>
		setPicked(previous => {
			const next = new Set(previous);
			if (next.has(service)) next.delete(service);
			else next.add(service);
			return next;
		});
	useKeymap(
		{
			...selection.handlers,
			select: () => onApply(services.every(s => picked.has(s)) ? undefined : services.filter(s => picked.has(s))),
			back: onCancel,
		},
		{
			isActive: active,
			// A dialog: its keys go nowhere else (q must not quit from a checklist); ctrl-c still reaches quit.
			priority: keyPriority.modal,
			onOther: name => {
				if (name === ' ' && services[selection.index]) toggle(services[selection.index]!);
				else if (name === 'a') setPicked(previous => (previous.size === services.length ? new Set() : new Set(services)));
				return name !== 'ctrl-c';
			},
		},
	);
	const start = Math.max(0, Math.min(selection.index - rows + 1, services.length - rows));
	const none = picked.size === 0;
	return (
		<Box flexDirection="column" width={width} height={height}>
			<Text wrap="truncate" bold={!theme.noColor}>
				{fitCell('Services: space toggles, a all/none, enter applies, esc cancels', width, 'left', theme.glyph.ellipsis)}
			</Text>
			{services.slice(Math.max(0, start), Math.max(0, start) + rows).map((service, i) => {
				const index = Math.max(0, start) + i;
				const mark = picked.has(service) ? '[x]' : '[ ]';
				return (
					<Text key={service} wrap="truncate">
						<Text color={theme.color('accent')}>{index === selection.index ? theme.glyph.pointer : ' '}</Text>
						{` ${mark} `}
						<Text color={serviceColour(service, theme.noColor)}>{fitCell(theme.text(service), Math.max(0, width - 6), 'left', theme.glyph.ellipsis)}</Text>
					</Text>
				);
			})}
			{none ? <Text color={theme.color('warn')}>no service chosen: nothing will show</Text> : null}
		</Box>
	);
}
