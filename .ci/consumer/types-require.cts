// The CommonJS side of the types (dist/index.d.cts), as a `require` consumer under node16 sees it.
import sla = require("sla-clock");

type IsAny<T> = 0 extends 1 & T ? true : false;
function notAny<T>(isAny: IsAny<T>): IsAny<T> {
  return isAny;
}
notAny<sla.InstantInput>(false);
notAny<sla.DurationInput>(false);

const due: Date | null = sla.getPolicy("softone-se").deadline("2026-04-02T11:00", { priority: 2 });
void due;
// @ts-expect-error: not an instant
sla.getPolicy("softone-se").deadline({ foo: 1 }, { priority: 2 });
