import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli-helpers.js';
import { startRedis, type TestRedis } from './redis-server.js';

describe('the fleet and a Redis with a password', () => {
  let redis: TestRedis;
  let port: string;

  beforeAll(async () => {
    redis = await startRedis(['--requirepass', 's3cret'], 's3cret');
    port = new URL(redis.url).port;
  });

  afterAll(async () => {
    await redis?.stop();
  });

  it('connects with the password from the URL', () => {
    const status = runCli(['fleet', 'status', '--redis', `redis://:s3cret@127.0.0.1:${port}`]);
    expect(status.stderr).toBe('creditcast: --run: no run is stored in this Redis (enqueue one with creditcast fleet enqueue)\n');
    expect(status.code).toBe(2);
  });

  it('refuses a wrong or missing password in one line that masks the password', () => {
    const wrong = runCli(['fleet', 'status', '--redis', `redis://:hunter2@127.0.0.1:${port}`]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(new RegExp(`^creditcast: --redis: cannot reach redis://:\\*\\*\\*@127\\.0\\.0\\.1:${port} \\(WRONGPASS[^\\n]*\\)\\n$`));
    expect(wrong.stderr).not.toContain('hunter2');
    const none = runCli(['fleet', 'worker', '--redis', `redis://127.0.0.1:${port}`]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^creditcast: --redis: cannot reach redis:\/\/127\.0\.0\.1:\d+ \(NOAUTH[^\n]*\)\n$/);
  });
});
