import { expect } from "vitest";
import { SlaClockError } from "../../src/index";

/** The SlaClockError that `fn` throws, so that its code, message and details can all be checked. */
export function thrown(fn: () => unknown): SlaClockError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SlaClockError);
    return e as SlaClockError;
  }
  throw new Error("expected an SlaClockError");
}

/** The SlaClockError that the promise of `fn` is rejected with. */
export async function rejected(fn: () => Promise<unknown>): Promise<SlaClockError> {
  try {
    await fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SlaClockError);
    return e as SlaClockError;
  }
  throw new Error("expected an SlaClockError");
}
