import { describe, expect, it } from 'vitest';
import { startTestApp } from '../../testing/test-app.js';
import { buildMetricsServer } from './metrics.js';

const token = 'c0ffee'.repeat(8);

describe('/metrics', () => {
  it('is not served at all without METRICS_TOKEN or METRICS_PORT', async () => {
    const t = await startTestApp();
    try {
      const response = await t.app.inject({ url: '/metrics' });
      expect(response.statusCode).toBe(404);
      expect(response.body).not.toContain('linedesk_http_request_duration_seconds');
    } finally {
      await t.close();
    }
  });

  it('needs the bearer token when METRICS_TOKEN is set', async () => {
    const t = await startTestApp({ env: { METRICS_TOKEN: token } });
    try {
      const missing = await t.app.inject({ url: '/metrics' });
      expect(missing.statusCode).toBe(401);
      expect(missing.headers['www-authenticate']).toContain('Bearer');
      expect(missing.json().code).toBe('metrics.unauthorized');
      const wrong = await t.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${token}x` } });
      expect(wrong.statusCode).toBe(401);
      const right = await t.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${token}` } });
      expect(right.statusCode).toBe(200);
      expect(right.body).toContain('linedesk_http_request_duration_seconds');
      // The protocol edges' counters are there too, before anything arrived (an operator's alert
      // rule on a counter that does not exist yet never fires).
      for (const counter of [
        'linedesk_radius_accounting_records_total',
        'linedesk_snmp_traps_total',
        'linedesk_monitoring_alerts_received_total',
      ]) {
        expect(right.body).toContain(`# TYPE ${counter} counter`);
      }
    } finally {
      await t.close();
    }
  });

  it('moves to a listener of its own with METRICS_PORT, and leaves the main port', async () => {
    const t = await startTestApp({ env: { METRICS_PORT: '9464' } });
    try {
      expect((await t.app.inject({ url: '/metrics' })).statusCode).toBe(404);
      const server = await buildMetricsServer(t.ctx.config.metrics, t.ctx.log);
      try {
        const response = await server.inject({ url: '/metrics' });
        expect(response.statusCode).toBe(200);
        expect(response.body).toContain('process_cpu_user_seconds_total');
        expect((await server.inject({ url: '/api/health' })).statusCode).toBe(404);
      } finally {
        await server.close();
      }
    } finally {
      await t.close();
    }
  });
});
