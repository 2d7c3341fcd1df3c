/**
 * The screen's half of the escape boundary: every text Ink draws passes through Line, Span or PaneFrame, and
 * they hand it through this first (test/components/visible-text.test.tsx holds the tree to that: no other file
 * imports Ink's Text). Components and the model keep the cluster's text as it is, so an operation still names a
 * member as Patroni knows it; only what is drawn is escaped (source/model/visible.ts).
 */
import {Children, cloneElement, Fragment, isValidElement, type ReactElement, type ReactNode} from 'react';
import {visible} from '../source/model/visible.js';

export function visibleNode(node: ReactNode): ReactNode {
	if (typeof node === 'string') return visible(node);
	if (Array.isArray(node)) return Children.map(node, visibleNode);
	// A fragment's strings are drawn by the Text around it: escape them here too. Other elements (Span, a
	// component that renders Spans) escape their own.
	if (isValidElement(node) && node.type === Fragment) {
		const fragment = node as ReactElement<{children?: ReactNode}>;
		return cloneElement(fragment, undefined, visibleNode(fragment.props.children));
	}
	return node;
}
