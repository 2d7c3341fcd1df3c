/** @jsxRuntime automatic */
// What the monitor's own SQL connection to the selected member uses, said in the lines under the Members table.
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {memberDetails} from '../../components/member-details.js';
import {MembersPane} from '../../components/members-pane.js';
import {DEFAULT_THRESHOLDS} from '../../source/model/alerts.js';
import {healthySnapshot, member} from '../fixtures/snapshot-healthy.js';
import {renderIn} from './render-text.js';

const rest = healthySnapshot.sources.rest;
const detailsOf = (fields: Parameters<typeof member>[1]) => memberDetails(member(1, fields)).map(item => item.text);

describe("the selected member's SQL connection", () => {
	it('names the TLS version and how far the server was verified, beside the REST URL', () => {
		const verified = member(1, {postgresSsl: {protocol: 'TLSv1.3', verified: 'full'}});
		const frame = renderIn(<MembersPane thresholds={DEFAULT_THRESHOLDS} members={[verified]} health={rest} width={120} height={5} selectedIndex={0} isFocused />, 120, 5);
		assert.match(frame, /^ {2}http:\/\/127\.0\.0\.1:18008\/patroni · Patroni 4\.0\.4 · SQL TLSv1\.3, CA and host name verified$/m);
	});

	it('says each level: no SSL, not verified, CA only', () => {
		assert.ok(detailsOf({postgresSsl: {protocol: null, verified: 'none'}}).some(text => text.endsWith('SQL no SSL')));
		assert.ok(detailsOf({postgresSsl: {protocol: 'TLSv1.2', verified: 'none'}}).some(text => text.endsWith('SQL TLSv1.2, server not verified')));
		assert.ok(detailsOf({postgresSsl: {protocol: 'TLSv1.3', verified: 'chain'}}).some(text => text.endsWith('SQL TLSv1.3, CA verified')));
	});

	it('says nothing of SSL while no connection is open (the SQL source has not answered)', () => {
		assert.ok(detailsOf({}).every(text => !text.includes('SSL') && !text.includes('TLS')));
	});
});
