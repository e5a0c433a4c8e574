import {
  catchupWindowMs,
  nextRunTimes,
  type RunSchedule,
  runScheduleSchema,
  settleRunSchedule,
  toScheduleSpec,
} from '../../src/domain/run-schedule';

const iso = (dates: Date[]) => dates.map((d) => d.toISOString());
const newYork = 'America/New_York';

describe('nextRunTimes', () => {
  it('keeps every-6-hours runs on the same wall-clock hours when clocks spring forward', () => {
    const schedule: RunSchedule = { everyHours: 6, timezone: newYork };

    // 14 March 2027: 02:00 EST becomes 03:00 EDT.
    const times = nextRunTimes(schedule, new Date('2027-03-13T23:30:00Z'), 5);

    expect(iso(times)).toEqual([
      '2027-03-14T05:00:00.000Z', // 00:00 EST
      '2027-03-14T10:00:00.000Z', // 06:00 EDT, five hours later
      '2027-03-14T16:00:00.000Z', // 12:00 EDT
      '2027-03-14T22:00:00.000Z', // 18:00 EDT
      '2027-03-15T04:00:00.000Z', // 00:00 EDT
    ]);
  });

  it('keeps them when clocks fall back, seven hours apart across the change', () => {
    const schedule: RunSchedule = { everyHours: 6, timezone: newYork };

    // 7 November 2027: 02:00 EDT becomes 01:00 EST.
    const times = nextRunTimes(schedule, new Date('2027-11-07T03:00:00Z'), 3);

    expect(iso(times)).toEqual([
      '2027-11-07T04:00:00.000Z', // 00:00 EDT
      '2027-11-07T11:00:00.000Z', // 06:00 EST
      '2027-11-07T17:00:00.000Z', // 12:00 EST
    ]);
  });

  it('skips a cron time that the spring change skips, and runs a repeated one twice', () => {
    const skipped = nextRunTimes(
      { cron: '30 2 * * *', timezone: newYork },
      new Date('2027-03-13T12:00:00Z'),
      3,
    );
    const repeated = nextRunTimes(
      { cron: '30 1 * * *', timezone: newYork },
      new Date('2027-11-06T12:00:00Z'),
      3,
    );

    expect(iso(skipped)).toEqual([
      '2027-03-15T06:30:00.000Z', // 02:30 does not exist on the 14th; 02:30 EDT on the 15th
      '2027-03-16T06:30:00.000Z',
      '2027-03-17T06:30:00.000Z',
    ]);
    expect(iso(repeated)).toEqual([
      '2027-11-07T05:30:00.000Z', // the first 01:30, EDT
      '2027-11-07T06:30:00.000Z', // the second 01:30, EST
      '2027-11-08T06:30:00.000Z',
    ]);
  });

  it('keeps weekday cron runs at 06:00 in Europe/Paris across its spring change', () => {
    const times = nextRunTimes(
      { cron: '0 6 * * 1-5', timezone: 'Europe/Paris' },
      new Date('2027-03-26T12:00:00Z'),
      2,
    );

    expect(iso(times)).toEqual(['2027-03-29T04:00:00.000Z', '2027-03-30T04:00:00.000Z']);
  });

  it('counts every N minutes from the Unix epoch, whatever the time zone', () => {
    const times = nextRunTimes(
      { everyMinutes: 15, timezone: newYork },
      new Date('2027-03-14T06:52:10Z'),
      3,
    );

    expect(iso(times)).toEqual([
      '2027-03-14T07:00:00.000Z',
      '2027-03-14T07:15:00.000Z',
      '2027-03-14T07:30:00.000Z',
    ]);
  });
});

describe('toScheduleSpec', () => {
  it('makes minutes an interval and hours and cron wall-clock expressions in the time zone', () => {
    expect(toScheduleSpec({ everyMinutes: 15, timezone: 'UTC' })).toEqual({
      intervals: [{ every: 900_000 }],
      timezone: 'UTC',
    });
    expect(toScheduleSpec({ everyHours: 6, timezone: newYork })).toEqual({
      cronExpressions: ['0 */6 * * *'],
      timezone: newYork,
    });
    expect(toScheduleSpec({ cron: ' 0 6 * * 1-5 ', timezone: 'Europe/Paris' })).toEqual({
      cronExpressions: ['0 6 * * 1-5'],
      timezone: 'Europe/Paris',
    });
  });

  it('catches up for one period at most: missed runs start once', () => {
    expect(catchupWindowMs({ everyMinutes: 15, timezone: 'UTC' })).toBe(15 * 60_000);
    expect(catchupWindowMs({ everyHours: 6, timezone: 'UTC' })).toBe(6 * 3_600_000);
    expect(catchupWindowMs({ cron: '0 6 * * *', timezone: 'UTC' })).toBe(3_600_000);
  });
});

describe('runScheduleSchema', () => {
  it.each([
    [{}, 'give exactly one of everyMinutes, everyHours and cron'],
    [
      { everyMinutes: 5, cron: '* * * * *' },
      'give exactly one of everyMinutes, everyHours and cron',
    ],
    [{ everyHours: 5 }, 'one of 1, 2, 3, 4, 6, 8, 12: hours that divide a day'],
    [{ everyMinutes: 0 }, 'Too small: expected number to be >=1'],
    [{ cron: '0 6 * *' }, 'not a cron expression of five fields (minute hour day month weekday)'],
    [
      { cron: '61 6 * * *' },
      'not a cron expression of five fields (minute hour day month weekday)',
    ],
    [{ everyHours: 2, timezone: 'Mars/Olympus' }, 'not an IANA time zone name'],
  ])('refuses %j: %s', (input, message) => {
    const parsed = runScheduleSchema.safeParse(input);

    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((i) => i.message)).toContain(message);
  });

  it("takes the deployment's time zone unless the schedule names one", () => {
    expect(settleRunSchedule({ everyHours: 2 }, 'Europe/Paris')).toEqual({
      everyHours: 2,
      timezone: 'Europe/Paris',
    });
    expect(settleRunSchedule({ cron: '0 6 * * *', timezone: 'Asia/Tokyo' }, 'UTC')).toEqual({
      cron: '0 6 * * *',
      timezone: 'Asia/Tokyo',
    });
  });
});
