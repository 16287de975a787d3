/** Control flow inside one download: the stored object changed, so start over from byte 0. */
export class RestartRequired extends Error {
  constructor(readonly reason: string) {
    super(`The object changed during the download: ${reason}`);
    this.name = 'RestartRequired';
  }
}

/** Control flow inside one download: storage answered a range request with the whole object. */
export class RangeIgnored extends Error {
  constructor() {
    super('The storage origin ignored the Range header');
    this.name = 'RangeIgnored';
  }
}

/** Control flow inside one download: the finished file does not hash to the expected sha1. */
export class VerifyMismatch extends RestartRequired {}
