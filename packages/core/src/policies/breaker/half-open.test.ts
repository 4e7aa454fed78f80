import { describe, expect, it } from 'vitest';
import { createBreakerHarness, gpt, providerError } from './test-support/breaker-harness.ts';

/** A harness whose `gpt` breaker has just opened (after 5 failures), open for `openMs`. */
async function openBreaker(options: Parameters<typeof createBreakerHarness>[0] = {}) {
  const harness = createBreakerHarness(options);
  await harness.fail(gpt, 5);
  harness.transitions.length = 0;
  return harness;
}

describe('breaker: half-open after openMs', () => {
  it('admits the next call after openMs as a probe', async () => {
    const { breaker, clock, transitions } = await openBreaker();
    clock.advance(30_000);
    const admission = await breaker.acquire(gpt);
    expect(admission.allowed && admission.permit.probe).toBe(true);
    expect(await breaker.state(gpt)).toBe('half-open');
    expect(transitions).toEqual([{ key: gpt, from: 'open', to: 'half-open', reason: 'open_elapsed' }]);
  });

  it('reports open past openUntil until an acquire admits the probe', async () => {
    const { breaker, clock } = await openBreaker();
    clock.advance(60_000);
    expect(await breaker.state(gpt)).toBe('open');
  });

  it('refuses others while the probe is in flight, until the probe deadline at the latest', async () => {
    const { breaker, clock, permit } = await openBreaker();
    clock.advance(30_000);
    await permit(gpt);
    expect(await breaker.acquire(gpt)).toEqual({ allowed: false, openUntil: clock.now() + 90_000 });
  });

  it('admits up to halfOpenProbes probes at once', async () => {
    const { breaker, clock, permit } = await openBreaker({ halfOpenProbes: 3 });
    clock.advance(30_000);
    const probes = [await permit(gpt), await permit(gpt), await permit(gpt)];
    expect(probes.map((probe) => probe.probe)).toEqual([true, true, true]);
    expect((await breaker.acquire(gpt)).allowed).toBe(false);
  });
});

describe('breaker: the probe decides', () => {
  it('closes on a probe success, with its counters reset', async () => {
    const { breaker, clock, fail, permit, transitions } = await openBreaker();
    clock.advance(30_000);
    await (await permit(gpt)).success();
    expect(await breaker.state(gpt)).toBe('closed');
    expect(transitions.at(-1)).toEqual({
      key: gpt,
      from: 'half-open',
      to: 'closed',
      reason: 'probe_succeeded',
    });
    await fail(gpt, 4);
    expect(await breaker.state(gpt)).toBe('closed');
  });

  it('reopens on a probe failure for openMs × factor, then × factor², capped at maxOpenMs', async () => {
    const { breaker, clock, permit, transitions } = await openBreaker({
      openMs: 1_000,
      openBackoffFactor: 2,
      maxOpenMs: 5_000,
    });
    const openPeriods: number[] = [];
    for (let failedProbes = 0; failedProbes < 4; failedProbes++) {
      const until = await breaker.acquire(gpt);
      if (until.allowed) throw new Error('expected the breaker open');
      clock.advance(until.openUntil - clock.now());
      const probe = await permit(gpt);
      await probe.failure(providerError('server'));
      const reopened = transitions.at(-1);
      expect(reopened).toMatchObject({ from: 'half-open', to: 'open', reason: 'probe_failed' });
      openPeriods.push((reopened?.openUntil ?? 0) - clock.now());
    }
    expect(openPeriods).toEqual([2_000, 4_000, 5_000, 5_000]);
  });

  it('opens for openMs again once a probe has closed it', async () => {
    const { clock, fail, permit, transitions } = await openBreaker({ openMs: 1_000 });
    clock.advance(1_000);
    await (await permit(gpt)).failure(providerError('server'));
    clock.advance(2_000);
    await (await permit(gpt)).success();
    await fail(gpt, 5);
    expect(transitions.at(-1)).toMatchObject({
      reason: 'consecutive_failures',
      openUntil: clock.now() + 1_000,
    });
  });

  it('counts a slow probe success as a failure', async () => {
    const { breaker, clock, permit } = await openBreaker({ slowCallMs: 10_000 });
    clock.advance(30_000);
    await (await permit(gpt)).success(20_000);
    expect(await breaker.state(gpt)).toBe('open');
  });

  it('frees the slot of a probe released without a verdict', async () => {
    const { breaker, clock, permit } = await openBreaker();
    clock.advance(30_000);
    await (await permit(gpt)).release();
    expect(await breaker.state(gpt)).toBe('half-open');
    const next = await permit(gpt);
    expect(next.probe).toBe(true);
  });

  it('treats an uncounted probe failure as a release', async () => {
    const { breaker, clock, permit } = await openBreaker();
    clock.advance(30_000);
    await (await permit(gpt)).failure(providerError('bad_request'));
    expect(await breaker.state(gpt)).toBe('half-open');
    expect((await permit(gpt)).probe).toBe(true);
  });
});

describe('breaker: a hung probe', () => {
  it('counts as failed after probeTimeoutMs, and a new probe follows the open period', async () => {
    const { breaker, clock, permit, transitions } = await openBreaker();
    clock.advance(30_000);
    const hung = await permit(gpt);
    const deadline = clock.now() + 90_000;
    clock.advance(89_999);
    expect(await breaker.acquire(gpt)).toEqual({ allowed: false, openUntil: deadline });
    clock.advance(1);
    expect(await breaker.acquire(gpt)).toEqual({ allowed: false, openUntil: deadline + 60_000 });
    expect(transitions.at(-1)).toEqual({
      key: gpt,
      from: 'half-open',
      to: 'open',
      reason: 'probe_timeout',
      openUntil: deadline + 60_000,
    });
    clock.advance(60_000);
    const fresh = await permit(gpt);
    expect(fresh.probe).toBe(true);
    // The hung call finally answers: too late to decide anything.
    await hung.success();
    expect(await breaker.state(gpt)).toBe('half-open');
    expect((await breaker.acquire(gpt)).allowed).toBe(false);
  });

  it('counts its open period from its deadline, not from when it is noticed', async () => {
    const { breaker, clock, permit, transitions } = await openBreaker();
    clock.advance(30_000);
    await permit(gpt);
    clock.advance(90_000 + 60_000);
    const admission = await breaker.acquire(gpt);
    expect(admission.allowed && admission.permit.probe).toBe(true);
    expect(transitions.map((transition) => transition.reason)).toEqual([
      'open_elapsed',
      'probe_timeout',
      'open_elapsed',
    ]);
  });
});

describe('breaker: settling a permit', () => {
  it('counts a permit settled twice once', async () => {
    const { breaker, fail, permit } = createBreakerHarness();
    const twice = await permit(gpt);
    await twice.failure(providerError('server'));
    await twice.failure(providerError('server'));
    await fail(gpt, 3);
    expect(await breaker.state(gpt)).toBe('closed');
    await fail(gpt);
    expect(await breaker.state(gpt)).toBe('open');
  });

  it('ignores a failure after a probe success', async () => {
    const { breaker, clock, permit } = await openBreaker();
    clock.advance(30_000);
    const probe = await permit(gpt);
    await probe.success();
    await probe.failure(providerError('server'));
    await probe.release();
    expect(await breaker.state(gpt)).toBe('closed');
  });
});
