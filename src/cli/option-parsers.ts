import { InvalidArgumentError } from 'commander';

/**
 * Parses a whole number from `min` to `max` written in digits; commander reports anything else
 * as a wrong command line (exit 2) naming the option, before any request is sent.
 */
export const wholeNumber =
  (min: number, max = Number.MAX_SAFE_INTEGER) =>
  (text: string): number => {
    if (!/^[0-9]+$/.test(text)) {
      throw new InvalidArgumentError(`Expected a whole number written in digits, e.g. ${min}.`);
    }
    const value = Number(text);
    if (value < min || value > max) {
      throw new InvalidArgumentError(`Expected a number from ${min} to ${max}.`);
    }
    return value;
  };

/** The same check for options the CLI passes on as query text. */
export const wholeNumberText = (min: number, max?: number) => (text: string) =>
  String(wholeNumber(min, max)(text));

/** Refuses an empty argument, which would otherwise become an empty path segment. */
export function nonEmpty(text: string): string {
  if (text === '') throw new InvalidArgumentError('It must not be empty.');
  return text;
}
