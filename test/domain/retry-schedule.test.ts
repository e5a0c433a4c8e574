import {
  firstSlotAtOrAfter,
  nextSlotAfter,
  retrySlotFor,
  type RetrySchedule,
} from '../../src/domain/retry-schedule';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

function slots(schedule: RetrySchedule, fromIso: string, count: number): string[] {
  const found: string[] = [];
  let t = at(fromIso);
  for (let i = 0; i < count; i++) {
    t = nextSlotAfter(schedule, t);
    found.push(iso(t));
  }
  return found;
}

describe('hourly retry slots', () => {
  const anchorAt = at('2027-01-01T14:00:00Z');
  const hourly: RetrySchedule = { frequency: 'hourly', interval: 1, timezone: 'UTC', anchorAt };

  it('retries a record failing at 14:00 with a 20 minute time lapse at 15:00', () => {
    expect(iso(retrySlotFor(hourly, at('2027-01-01T14:00:00Z'), 20))).toBe(
      '2027-01-01T15:00:00.000Z',
    );
  });

  it('takes a slot that falls exactly on the eligible time', () => {
    expect(iso(retrySlotFor(hourly, at('2027-01-01T14:40:00Z'), 20))).toBe(
      '2027-01-01T15:00:00.000Z',
    );
  });

  it('counts whole intervals from the deployment instant, not from the hour', () => {
    const every3 = { ...hourly, interval: 3, anchorAt: at('2027-01-01T14:17:00Z') };
    expect(slots(every3, '2027-01-01T14:17:00Z', 3)).toEqual([
      '2027-01-01T17:17:00.000Z',
      '2027-01-01T20:17:00.000Z',
      '2027-01-01T23:17:00.000Z',
    ]);
  });

  it('never answers the deployment instant itself', () => {
    expect(iso(firstSlotAtOrAfter(hourly, anchorAt))).toBe('2027-01-01T15:00:00.000Z');
  });
});

describe('daily retry slots', () => {
  const berlin: RetrySchedule = {
    frequency: 'daily',
    retryDailyAt: '02:30',
    interval: 23,
    timezone: 'Europe/Berlin',
    anchorAt: 0,
  };

  it('runs at the wall-clock time in the deployment time zone', () => {
    expect(slots(berlin, '2027-01-10T00:00:00Z', 2)).toEqual([
      '2027-01-10T01:30:00.000Z',
      '2027-01-11T01:30:00.000Z',
    ]);
  });

  it('runs a time skipped by spring-forward at the first instant after the gap', () => {
    expect(slots(berlin, '2027-03-27T12:00:00Z', 2)).toEqual([
      '2027-03-28T01:00:00.000Z', // 03:00 CEST: 02:00–03:00 does not exist that night
      '2027-03-29T00:30:00.000Z', // 02:30 CEST
    ]);
  });

  it('runs a time repeated by fall-back once, at its first occurrence', () => {
    expect(slots(berlin, '2027-10-30T12:00:00Z', 2)).toEqual([
      '2027-10-31T00:30:00.000Z', // 02:30 CEST; 02:30 CET an hour later is not a slot
      '2027-11-01T01:30:00.000Z',
    ]);
  });

  it('repeats every interval hours of wall-clock time until the day ends', () => {
    const every6 = { ...berlin, retryDailyAt: '09:15', interval: 6 };
    expect(slots(every6, '2027-06-01T00:00:00Z', 4)).toEqual([
      '2027-06-01T07:15:00.000Z', // 09:15 CEST
      '2027-06-01T13:15:00.000Z', // 15:15
      '2027-06-01T19:15:00.000Z', // 21:15; 03:15 would be the next day
      '2027-06-02T07:15:00.000Z',
    ]);
  });

  it('keeps hourly wall-clock slots through the repeated hour without running one twice', () => {
    const everyHour = { ...berlin, retryDailyAt: '01:30', interval: 1 };
    expect(slots(everyHour, '2027-10-30T22:00:00Z', 4)).toEqual([
      '2027-10-30T23:30:00.000Z', // 01:30 CEST
      '2027-10-31T00:30:00.000Z', // 02:30 CEST
      '2027-10-31T02:30:00.000Z', // 03:30 CET
      '2027-10-31T03:30:00.000Z', // 04:30 CET
    ]);
  });

  it('places the first daily slot on the next day when today’s has passed', () => {
    const tokyo = { ...berlin, timezone: 'Asia/Tokyo', retryDailyAt: '08:00' };
    expect(iso(retrySlotFor(tokyo, at('2027-05-05T00:00:00Z'), 30))).toBe(
      '2027-05-05T23:00:00.000Z',
    );
  });
});
