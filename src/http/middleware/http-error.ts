/** An error that carries the HTTP status to answer with. */
export class HttpError extends Error {
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export default function createHttpError(status: number, message: string): HttpError {
  return new HttpError(status, message);
}
