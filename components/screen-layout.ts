/**
 * The dashboard's layout for what it is about to draw. Both the dashboard and the page keys (which move by the
 * focused pane's height) ask here, so a page is always the frame the pane really got.
 */
import type {Dialog} from '../source/dialog.js';
import {layout, type Layout, type TerminalSize} from '../source/layout.js';
import type {ClusterSnapshot} from '../source/model/snapshot-types.js';
import type {PaneName} from '../source/panes.js';
import {dialogHeight} from './dialog-view.js';

export function screenLayout(size: TerminalSize, focusedPane: PaneName, snapshot: ClusterSnapshot, dialog?: Dialog): Layout {
	return layout(size, focusedPane, {
		memberCount: snapshot.members.length,
		alertCount: snapshot.alerts.length,
		statusLines: dialog ? dialogHeight(dialog) : 1,
	});
}
