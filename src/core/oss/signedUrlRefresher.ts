// Shares one fresh signed URL among concurrent downloaders: when several chunks find the URL expired
// at once, only one signeds3download call is made.
import { SingleFlight } from '../auth/singleFlight';
import type { SignedDownload } from './signedDownload';

export type SignedDownloadFetcher = (signal?: AbortSignal) => Promise<SignedDownload>;

export class SignedUrlRefresher {
  private currentDownload?: SignedDownload;
  private readonly flight = new SingleFlight<SignedDownload>();
  private refreshCount = 0;

  constructor(private readonly fetcher: SignedDownloadFetcher, initial?: SignedDownload) {
    this.currentDownload = initial;
  }

  /** The current signed download, fetching one if there is none yet. */
  async current(signal?: AbortSignal): Promise<SignedDownload> {
    if (this.currentDownload) return this.currentDownload;
    return this.fetchShared(signal);
  }

  /**
   * A newer signed download than `stale` (the one the caller saw fail). Concurrent callers with the same
   * stale value share one fetch; a caller whose stale value was already replaced gets the replacement at once.
   */
  async refresh(stale: SignedDownload | undefined, signal?: AbortSignal): Promise<SignedDownload> {
    if (this.currentDownload && stale !== undefined && this.currentDownload !== stale) return this.currentDownload;
    return this.fetchShared(signal);
  }

  /** How many times the URL was fetched (for logs and tests). */
  get fetches(): number {
    return this.refreshCount;
  }

  private fetchShared(signal?: AbortSignal): Promise<SignedDownload> {
    return this.flight.run(async () => {
      this.refreshCount++;
      const next = await this.fetcher();
      this.currentDownload = next;
      return next;
    }, signal);
  }
}
