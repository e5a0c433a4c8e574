import fc from 'fast-check';
import type { NodeSnapshot } from '../../src/pipeline/node-snapshot';
import { MASK, maskSensitive } from '../../src/pipeline/sensitive-fields';

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
});
