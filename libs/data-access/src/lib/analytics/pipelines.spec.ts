import type { PipelineStage } from 'mongoose';
import {
  BREAKDOWN_KEYS,
  activeUsersPipeline,
  breakdownTopPipeline,
  breakdownTotalPipeline,
  cohortActivityPipeline,
  cohortSizesPipeline,
  FUNNEL_KINDS,
  funnelStepsPipeline,
  funnelTotalsPipeline,
  loginsPipeline,
  MAIL_OUTCOME_KINDS,
  mailOutcomesPipeline,
  signupsPipeline,
} from './pipelines';
import { foldMfaAdoption, mfaAdoptionPipeline } from './mfa-adoption';
import { INTERVALS } from './time-buckets';

/** What FerretDB v1 runs (ARCHITECTURE.md); the issue narrows accumulators to $sum/$count. */
const STAGES = new Set(['$match', '$group', '$sort', '$project', '$addFields', '$set', '$unset', '$limit', '$skip', '$unwind', '$count']);
const ACCUMULATORS = new Set(['$sum', '$count']);
/** Query operators allowed inside $match (not expressions). */
const MATCH_OPERATORS = new Set(['$gte', '$gt', '$lt', '$lte', '$in', '$eq']);

/** A group key or projection: field paths ("$day"), literals, or documents of those. */
function assertPlainExpression(value: unknown, where: string): void {
  if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key.startsWith('$')) throw new Error(`${where}: expression operator ${key} is not allowed`);
      assertPlainExpression(inner, where);
    }
  }
}

function assertFerretDbSubset(pipeline: PipelineStage[]): void {
  expect(Object.keys(pipeline[0])).toEqual(['$match']);
  for (const stage of pipeline) {
    const [name] = Object.keys(stage);
    expect(STAGES.has(name)).toBe(true);
    const body = (stage as unknown as Record<string, unknown>)[name];
    if (name === '$match') {
      for (const condition of Object.values(body as object)) {
        if (condition && typeof condition === 'object' && !(condition instanceof Date)) {
          for (const operator of Object.keys(condition)) expect(MATCH_OPERATORS.has(operator)).toBe(true);
        }
      }
    }
    if (name === '$group') {
      const { _id, ...accumulators } = body as Record<string, unknown>;
      assertPlainExpression(_id, '$group _id');
      for (const accumulator of Object.values(accumulators)) {
        const [operator, argument] = Object.entries(accumulator as object)[0];
        expect(ACCUMULATORS.has(operator)).toBe(true);
        assertPlainExpression(argument, operator);
      }
    }
  }
}

describe('analytics pipelines stay inside the FerretDB v1 subset and start with an indexed $match', () => {
  const from = new Date('2027-01-04T00:00:00Z');
  const to = new Date('2027-02-01T00:00:00Z');
  const all: Array<[string, PipelineStage[]]> = [
    ...INTERVALS.map((i): [string, PipelineStage[]] => [`signups ${i}`, signupsPipeline(i, from, to)]),
    ...INTERVALS.map((i): [string, PipelineStage[]] => [`active-users ${i}`, activeUsersPipeline(i, '2027-01-04', '2027-02-01')]),
    ...INTERVALS.map((i): [string, PipelineStage[]] => [`logins ${i}`, loginsPipeline(i, '2027-01-04', '2027-02-01')]),
    ...INTERVALS.map((i): [string, PipelineStage[]] => [`funnel steps ${i}`, funnelStepsPipeline(i, '2027-01-04', '2027-02-01')]),
    ['funnel totals', funnelTotalsPipeline('2027-01-04', '2027-02-01')],
    ...INTERVALS.map((i): [string, PipelineStage[]] => [`mail outcomes ${i}`, mailOutcomesPipeline(i, '2027-01-04', '2027-02-01')]),
    ['cohort sizes', cohortSizesPipeline('2027-W01', '2027-W05')],
    ['cohort activity', cohortActivityPipeline('2027-W01', '2027-W05')],
    ...BREAKDOWN_KEYS.map((by): [string, PipelineStage[]] => [`breakdown top ${by}`, breakdownTopPipeline(by, 10)]),
    ...BREAKDOWN_KEYS.map((by): [string, PipelineStage[]] => [`breakdown total ${by}`, breakdownTotalPipeline(by)]),
    ['mfa adoption', mfaAdoptionPipeline(from)],
  ];

  it.each(all)('%s', (_name, pipeline) => assertFerretDbSubset(pipeline));

  it('the checker itself refuses what FerretDB v1 cannot run', () => {
    expect(() => assertFerretDbSubset([{ $group: { _id: '$day', n: { $sum: 1 } } }])).toThrow();
    expect(() => assertFerretDbSubset([{ $match: { day: '2027-01-04' } }, { $group: { _id: '$day', n: { $max: '$at' } } }])).toThrow();
    expect(() =>
      assertFerretDbSubset([{ $match: { day: '2027-01-04' } }, { $group: { _id: { $dateToString: { date: '$at' } } } }]),
    ).toThrow();
    expect(() =>
      assertFerretDbSubset([{ $match: { day: '2027-01-04' } }, { $lookup: { from: 'users', as: 'u' } } as PipelineStage]),
    ).toThrow();
  });

  it.each([
    ['signups', signupsPipeline('day', from, to), ['createdAt']],
    ['active users', activeUsersPipeline('week', '2027-01-04', '2027-02-01'), ['day']],
    ['logins', loginsPipeline('day', '2027-01-04', '2027-02-01'), ['kind', 'day']],
    ['funnel steps', funnelStepsPipeline('week', '2027-01-04', '2027-02-01'), ['kind', 'day']],
    ['funnel totals', funnelTotalsPipeline('2027-01-04', '2027-02-01'), ['kind', 'day']],
    ['mail outcomes', mailOutcomesPipeline('month', '2027-01-04', '2027-02-01'), ['kind', 'day']],
    ['cohort sizes', cohortSizesPipeline('2027-W01', '2027-W05'), ['signupWeek']],
    ['cohort activity', cohortActivityPipeline('2027-W01', '2027-W05'), ['week', 'cohortWeek']],
    ['breakdown', breakdownTopPipeline('department', 5), ['status']],
    ['mfa adoption', mfaAdoptionPipeline(from), ['lastLoginAt', 'status']],
  ])('%s: $match on the keys of its index', (_name, pipeline, keys) => {
    expect(Object.keys((pipeline[0] as { $match: object }).$match)).toEqual(keys);
  });

  it('the funnel and mail pipelines match exactly their kinds and the half-open day range, and count distinct users per funnel step', () => {
    const range = { $gte: '2027-01-04', $lt: '2027-02-01' };
    expect(funnelStepsPipeline('week', '2027-01-04', '2027-02-01')).toEqual([
      { $match: { kind: { $in: ['UserRegistered', 'EmailVerified', 'UserInvited', 'InvitationAccepted'] }, day: range } },
      { $group: { _id: { bucket: '$week', kind: '$kind', userId: '$userId' } } },
      { $group: { _id: { bucket: '$_id.bucket', kind: '$_id.kind' }, count: { $sum: 1 } } },
    ]);
    expect(funnelTotalsPipeline('2027-01-04', '2027-02-01')).toEqual([
      { $match: { kind: { $in: [...FUNNEL_KINDS] }, day: range } },
      { $group: { _id: { kind: '$kind', userId: '$userId' } } },
      { $group: { _id: '$_id.kind', count: { $sum: 1 } } },
    ]);
    expect(mailOutcomesPipeline('day', '2027-01-04', '2027-02-01')).toEqual([
      { $match: { kind: { $in: [...MAIL_OUTCOME_KINDS] }, day: range } },
      { $group: { _id: { bucket: '$day', kind: '$kind' }, count: { $sum: 1 } } },
    ]);
    expect(MAIL_OUTCOME_KINDS).toEqual(['MailSent', 'MailFailed']);
  });

  it('mfa adoption folds factor sets into per-type rows; any = TOTP or passkey, recovery codes alone are not', () => {
    const adoption = foldMfaAdoption([
      { _id: null, count: 4 },
      { _id: [], count: 1 },
      { _id: ['recovery_code', 'totp'], count: 2 },
      { _id: ['recovery_code', 'totp', 'webauthn'], count: 1 },
      { _id: ['webauthn'], count: 1 },
      { _id: ['recovery_code'], count: 1 },
    ]);
    expect(adoption).toEqual({
      activeUsers: 10,
      rows: [
        { factor: 'totp', users: 3, share: 0.3 },
        { factor: 'webauthn', users: 2, share: 0.2 },
        { factor: 'recovery_code', users: 4, share: 0.4 },
        { factor: 'any', users: 4, share: 0.4 },
      ],
    });
    expect(foldMfaAdoption([]).rows.map((row) => row.share)).toEqual([null, null, null, null]);
  });
});
