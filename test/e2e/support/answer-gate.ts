/**
 * Model answers the test lets through: a handler for the loopback OpenAI server that
 * answers the requests it is allowed to (with the default echo) and holds the rest
 * until the test allows more. A run then cannot finish before the test says so,
 * whatever the machine's speed: "mid-run" is a state the test sets, not a moment it
 * hopes to catch.
 */
import { defaultReply, type RecordedRequest, type Reply } from '../../support/openai-server.ts';

export interface AnswerGate {
  /** The server's `handler`. */
  handler(req: RecordedRequest): Promise<Reply>;
  /** Lets `n` more requests through (counting from those answered so now), holds the rest. */
  allow(n: number): void;
  /** Lets every request through, held ones first. */
  open(): void;
  /** Answers every request with `reply` from now on (null: the default echo again). */
  answerWith(reply: Reply | null): void;
  /** Requests answered so far. */
  readonly answered: number;
}

export function answerGate(): AnswerGate {
  let answered = 0;
  let limit = Infinity;
  let fixed: Reply | null = null;
  const held: (() => void)[] = [];
  const release = () => {
    while (held.length > 0 && answered < limit) {
      answered++;
      held.shift()?.();
    }
  };
  return {
    async handler(req) {
      if (answered < limit) answered++;
      else await new Promise<void>((resolve) => held.push(resolve));
      return fixed ?? defaultReply(req);
    },
    allow(n) {
      limit = answered + n;
      release();
    },
    open() {
      limit = Infinity;
      release();
    },
    answerWith(reply) {
      fixed = reply;
    },
    get answered() {
      return answered;
    },
  };
}
