import fc from 'fast-check';
import type { NodeSnapshot } from '../../src/pipeline/node-snapshot';
import {
  MASK,
  maskSensitive,
  maskText,
  sensitiveValues,
} from '../../src/pipeline/sensitive-fields';

/** Every value sitting under one of these keys, anywhere in a value. */
function valuesUnder(value: unknown, keys: Set<string>): unknown[] {
  if (Array.isArray(value)) return value.flatMap((item) => valuesUnder(item, keys));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]) =>
    keys.has(key) ? [inner] : valuesUnder(inner, keys),
  );
}

const key = fc.constantFrom('email', 'name', 'card', 'number', 'ssn', 'id', 'nested');

describe('maskSensitive', () => {
  it('leaves no value under a sensitive key, at any depth, in any payload', () => {
    fc.assert(
      fc.property(
        fc.array(fc.jsonValue({ maxDepth: 5 }), { minLength: 1, maxLength: 3 }),
        fc.uniqueArray(key, { minLength: 1, maxLength: 3 }),
        (payloads, fields) => {
          const nodes: NodeSnapshot[] = payloads.map((output, i) => ({
            node: `n${i}`,
            kind: 'map',
            output,
            request: { body: output },
            ms: 0,
          }));
          const masked = maskSensitive(nodes, fields);
          const leaked = valuesUnder(masked, new Set(fields)).filter((v) => v !== MASK);
          return leaked.length === 0;
        },
      ),
      { numRuns: 300 },
    );
  });

  it('changes nothing when no field is listed', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (output) => {
        const nodes: NodeSnapshot[] = [{ node: 'n', kind: 'map', output, ms: 0 }];
        return maskSensitive(nodes, []) === nodes;
      }),
    );
  });

  it('masks by last keys only where the parents match', () => {
    const [node] = maskSensitive(
      [
        {
          node: 'n',
          kind: 'map',
          output: { card: { number: '4111' }, order: { number: 7 } },
          ms: 0,
        },
      ],
      ['card.number'],
    );

    expect(node.output).toEqual({ card: { number: MASK }, order: { number: 7 } });
  });

  it('masks the values of sensitive fields under renamed keys, in echoed text and in errors', () => {
    const record = { id: 7, email: 'p7@ex.com', card: { number: 4111000000000007 } };
    const echoed = `unprocessable: {"mail":"p7@ex.com","cardNo":4111000000000007}`;
    const nodes: NodeSnapshot[] = [
      { node: 'GET', kind: 'source', output: record, ms: 0 },
      {
        node: 'Map',
        kind: 'map',
        output: { id: 7, mail: 'p7@ex.com', cardNo: 4111000000000007, note: 'ok' },
        ms: 0,
      },
      {
        node: 'PUT',
        kind: 'destination',
        request: { body: { mail: 'p7@ex.com' } },
        response: { status: 422, body: { error: echoed } },
        error: `PUT /dest/7 answered 422: ${echoed}`,
        ms: 0,
      },
    ];

    const values = sensitiveValues(nodes, ['email', 'card.number']);
    const masked = maskSensitive(nodes, ['email', 'card.number'], values);

    expect(values).toEqual(['4111000000000007', 'p7@ex.com']);
    expect(JSON.stringify(masked)).not.toMatch(/p7@ex\.com|4111000000000007/);
    expect(masked[1].output).toEqual({ id: 7, mail: MASK, cardNo: MASK, note: 'ok' });
    expect(masked[2].error).toBe(
      `PUT /dest/7 answered 422: unprocessable: {"mail":"${MASK}","cardNo":${MASK}}`,
    );
    expect(maskText('quoted "a\\"b" here', ['a"b'])).toBe(`quoted "${MASK}" here`);
  });
});
