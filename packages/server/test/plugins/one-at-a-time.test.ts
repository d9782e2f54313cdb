// The queue that gives legacy workers exact attribution: calls run in arrival order, never overlap, a failing call
// does not block the next, and a call stuck behind a hung one fails with TIMEOUT saying why.
import { PLUGIN_RPC_ERROR_CODES } from "@paperclipai/plugin-sdk/protocol";
import { describe, expect, it } from "vitest";
import { OneAtATime } from "../../src/plugins/runtime/one-at-a-time.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("OneAtATime", () => {
  it("runs tasks in arrival order without overlap, past a failing one", async () => {
    const queue = new OneAtATime();
    const order: string[] = [];
    let running = 0;
    const task =
      (name: string, fail = false) =>
      async () => {
        running++;
        expect(running).toBe(1);
        await sleep(5);
        order.push(name);
        running--;
        if (fail) throw new Error(`${name} failed`);
        return name;
      };
    const results = await Promise.allSettled([
      queue.run(task("a"), 1_000, "p"),
      queue.run(task("b", true), 1_000, "p"),
      queue.run(task("c"), 1_000, "p"),
    ]);
    expect(order).toEqual(["a", "b", "c"]);
    expect(results.map((result) => result.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(queue.depth).toBe(0);
  });

  it("fails a call that waited too long behind a hung one with TIMEOUT, and skips it once its turn comes", async () => {
    const queue = new OneAtATime();
    let ran = false;
    const hung = queue.run(() => sleep(120).then(() => "slow"), 1_000, "fixture.legacy");
    const starved = queue.run(
      async () => {
        ran = true;
      },
      30,
      "fixture.legacy",
    );
    await expect(starved).rejects.toMatchObject({
      code: PLUGIN_RPC_ERROR_CODES.TIMEOUT,
      message: expect.stringContaining("does not tag its calls to the host with invocation ids"),
    });
    expect(await hung).toBe("slow");
    expect(await queue.run(async () => "next", 1_000, "fixture.legacy")).toBe("next");
    expect(ran).toBe(false);
  });
});
