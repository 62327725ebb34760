import { expect } from 'vitest';
import { InputError } from '../../runner/input/input-error.js';

/** The message of the input error a call throws; fails the test when it throws none, or another error. */
export function inputProblemOf(call: () => unknown): string {
  try {
    call();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error('expected an input error');
}
