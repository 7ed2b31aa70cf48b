/**
 * Requests to a Web Worker answered in order (the CPU reference samplers of the pages run in
 * workers, so the page stays responsive): the page side posts a message and awaits its reply; the
 * worker side answers each message, or sends { type: 'error', message } when handling it throws.
 */

interface ErrorReply {
  type: 'error';
  message: string;
}

/** The page side: `request` posts a message and resolves with the worker's reply to it. */
export class WorkerChannel<In, Out> {
  private readonly waiting: { resolve: (o: Out) => void; reject: (e: Error) => void }[] = [];

  /** `onReply` sees every reply first (e.g. to keep the latest state). */
  constructor(
    private readonly worker: Worker,
    onReply?: (o: Out) => void,
  ) {
    worker.onmessage = (ev: MessageEvent<Out | ErrorReply>) => {
      const w = this.waiting.shift();
      const data = ev.data as Out | ErrorReply;
      if (isError(data)) w?.reject(new Error(data.message));
      else {
        onReply?.(data);
        w?.resolve(data);
      }
    };
    worker.onerror = (ev) => {
      ev.preventDefault();
      for (const w of this.waiting.splice(0)) w.reject(new Error(`CPU worker failed: ${ev.message || 'no message'}`));
    };
  }

  request(message: In, transfer: Transferable[] = []): Promise<Out> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.worker.postMessage(message, transfer);
    });
  }

  /** Posts a message that gets no reply. */
  tell(message: In): void {
    this.worker.postMessage(message);
  }

  terminate(): void {
    this.worker.terminate();
  }
}

function isError(x: unknown): x is ErrorReply {
  return typeof x === 'object' && x !== null && (x as { type?: unknown }).type === 'error';
}

/**
 * The worker side: answers each message with `handle`'s reply (undefined: no reply), its
 * `transfer` list moved rather than copied; an exception becomes an error reply.
 */
export function serveWorker<In, Out>(
  handle: (m: In) => Promise<{ reply: Out; transfer?: Transferable[] } | undefined>,
): void {
  const scope = self as unknown as {
    onmessage: (ev: MessageEvent<In>) => void;
    postMessage(m: unknown, o?: { transfer: Transferable[] }): void;
  };
  scope.onmessage = async (ev) => {
    try {
      const answer = await handle(ev.data);
      if (answer) scope.postMessage(answer.reply, { transfer: answer.transfer ?? [] });
    } catch (e) {
      scope.postMessage({ type: 'error', message: e instanceof Error ? e.message : String(e) } satisfies ErrorReply);
    }
  };
}
