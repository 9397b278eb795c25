// The hold that keeps background work back from an edit until the edit's request answers (src/completion/editHold.ts).
import { test } from "node:test";
import assert from "node:assert/strict";
import { EditHold } from "../../src/completion/editHold";

const settled = async (promise: Promise<void>): Promise<boolean> => {
  let done = false;
  void promise.then(() => (done = true));
  await new Promise((r) => setTimeout(r, 5));
  return done;
};

test("without a hold, work goes on at once", async () => {
  const hold = new EditHold(1_000);
  assert.equal(hold.holding, false);
  assert.equal(await settled(hold.whenReleased()), true);
});

test("a hold keeps work back until it is released", async () => {
  const hold = new EditHold(10_000);
  hold.hold();
  const waiting = hold.whenReleased();
  assert.equal(await settled(waiting), false);
  hold.release();
  assert.equal(await settled(waiting), true);
  assert.equal(hold.holding, false);
});

test("a hold ends by itself when no request comes, and another edit restarts its time", async () => {
  const hold = new EditHold(60);
  hold.hold();
  const waiting = hold.whenReleased();
  await new Promise((r) => setTimeout(r, 40));
  hold.hold(); // the next edit: the same hold, its time restarted
  await new Promise((r) => setTimeout(r, 40));
  assert.equal(await settled(waiting), false, "80 ms after the first edit, 40 after the second: still held");
  await new Promise((r) => setTimeout(r, 60));
  assert.equal(await settled(waiting), true);
});
