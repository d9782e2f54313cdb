// The recent frames of one stream channel, for `Last-Event-ID` resume: a ring of at most `maxFrames` frames
// and `maxBytes` of frame text (the oldest go first). Sequence numbers (arrival order) only grow, so "everything
// after n" is a binary search over the ring; a client's Last-Event-ID is found by the frame's id, newest first.

export interface BufferedFrame {
  seq: number;
  /** The SSE id (`<generation>-<n>` of the node that published it). */
  id: string;
  /** The complete SSE frame text (`id: …\ndata: …\n\n`). */
  text: string;
}

export class ChannelBuffer {
  private readonly frames: (BufferedFrame | undefined)[];
  private head = 0;
  private size = 0;
  private bytes = 0;

  constructor(
    private readonly maxFrames: number,
    private readonly maxBytes: number,
  ) {
    this.frames = new Array(Math.max(0, maxFrames));
  }

  get length(): number {
    return this.size;
  }

  /** Sequence of the oldest frame kept, or null when empty. */
  get oldestSeq(): number | null {
    return this.size === 0 ? null : this.frames[this.head]!.seq;
  }

  push(frame: BufferedFrame): void {
    if (this.maxFrames === 0) return;
    const weight = frame.text.length;
    // A frame larger than the whole budget is delivered live but never kept.
    if (weight > this.maxBytes) return;
    while (this.size > 0 && (this.size === this.maxFrames || this.bytes + weight > this.maxBytes))
      this.dropOldest();
    this.frames[(this.head + this.size) % this.maxFrames] = frame;
    this.size++;
    this.bytes += weight;
  }

  /** Frames with seq > `afterSeq`, oldest first. */
  after(afterSeq: number): BufferedFrame[] {
    let low = 0;
    let high = this.size;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.at(mid).seq <= afterSeq) low = mid + 1;
      else high = mid;
    }
    const result: BufferedFrame[] = [];
    for (let i = low; i < this.size; i++) result.push(this.at(i));
    return result;
  }

  /** Sequence of the kept frame with this id, or null (never seen, or no longer kept). */
  seqOf(id: string): number | null {
    for (let i = this.size - 1; i >= 0; i--) {
      const frame = this.at(i);
      if (frame.id === id) return frame.seq;
    }
    return null;
  }

  private at(index: number): BufferedFrame {
    return this.frames[(this.head + index) % this.maxFrames]!;
  }

  private dropOldest(): void {
    const frame = this.frames[this.head]!;
    this.frames[this.head] = undefined;
    this.head = (this.head + 1) % this.maxFrames;
    this.size--;
    this.bytes -= frame.text.length;
  }
}
