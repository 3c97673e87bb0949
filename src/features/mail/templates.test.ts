import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadConfig } from '#platform/config.ts';
import { coordinatorNotification } from './templates.rules.ts';

const cfg = loadConfig({});

describe('the coordinators mail', () => {
  test('a new report: reference, channel, urgency and a link; no content', () => {
    const mail = coordinatorNotification({ reference: 'MB-ABCD2345', channel: 'kcc', suggestedUrgency: 'hoog' }, cfg);
    assert.match(mail.subject, /^Nieuwe melding MB-ABCD2345 \(KCC/);
    assert.ok(!mail.text.includes('112'));
  });

  test('an acute record says it went to 112, and still carries no names or content', () => {
    const mail = coordinatorNotification({ reference: 'MB-ABCD2345', channel: 'kcc', suggestedUrgency: 'direct', acute: true }, cfg);
    assert.match(mail.subject, /^Melding MB-ABCD2345 doorgezet naar 112/);
    assert.match(mail.text, /doorgezet naar 112/);
    assert.match(mail.html, /doorgezet naar 112/);
    assert.ok(!/Nieuwe melding/.test(mail.subject));
  });
});
