import {Text} from 'ink';
import React, {memo} from 'react';
import type {Incident} from '../../incident/model.js';
import {useAppState} from '../../hooks/AppContext.js';
import {useNow} from '../../hooks/useNow.js';
import {useTheme} from '../../theme/ThemeContext.js';
import {fitCell} from '../../util/format.js';
import {incidentBannerText} from './banner.js';

/**
 * The open incident in one cell of `width` columns (nothing when none is open): severity, running clock, target.
 * Loud (inverse, crit) in colour; bracketed without colour, so that it still stands out under NO_COLOR.
 */
export const IncidentBanner = memo(function IncidentBanner({incident, now, width, form = 'compact'}: {incident: Incident; now: number; width: number; form?: 'compact' | 'long'}) {
	const theme = useTheme();
	const {text, overdue} = incidentBannerText(incident, now, form);
	const shown = theme.noColor ? `[${text}]` : ` ${text} `;
	return (
		<Text bold inverse={!theme.noColor} color={theme.color(overdue || incident.severity === 'P0' ? 'crit' : 'warn')}>
			{fitCell(theme.text(shown), width, 'left', theme.glyph.ellipsis)}
		</Text>
	);
});

/** The open incident and a clock that ticks each second while one is open (no timer otherwise). */
export function useOpenIncident(): {incident?: Incident; now: number} {
	const incident = useAppState(s => s.incident.open);
	const now = useNow(incident ? 1000 : 0);
	return {incident, now: Math.max(now, incident?.declaredAt ?? 0)};
}

/**
 * The open incident's banner with its own ticking clock: only this cell re-renders each second, not the line
 * it sits in (the header). Nothing when none is open.
 */
export function LiveIncidentBanner({width, form = 'compact'}: {width: number; form?: 'compact' | 'long'}) {
	const {incident, now} = useOpenIncident();
	if (!incident || width <= 0) return null;
	return <IncidentBanner incident={incident} now={now} width={width} form={form} />;
}

/** Columns the compact banner takes (0 when none is open), padding or brackets included; it grows only past 9 hours. */
export function incidentBannerWidth(incident: Incident | undefined, now: number): number {
	if (!incident) return 0;
	return incidentBannerText(incident, Math.max(now, incident.declaredAt), 'compact').text.length + 2;
}
