import type { NextFunction, Request, Response } from 'express';
import { AppError, isAppError } from '../errors';

interface HttpLikeError {
  readonly type?: unknown;
  readonly status?: unknown;
}

/** Converts anything thrown by a handler or a body parser into an {@link AppError}. */
export function normalizeError(err: unknown): AppError {
  if (isAppError(err)) return err;
  const { type, status } = (typeof err === 'object' && err !== null ? err : {}) as HttpLikeError;
  if (type === 'entity.parse.failed') return new AppError('VALIDATION_FAILED', 'the request body is not valid JSON');
  if (type === 'entity.too.large') return new AppError('PAYLOAD_TOO_LARGE', 'the request body is too large');
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
    return new AppError('UNSUPPORTED_MEDIA_TYPE', 'unsupported body encoding');
  }
  if (status === 400) return new AppError('VALIDATION_FAILED', 'malformed request');
  return new AppError('INTERNAL', 'internal error', { cause: err });
}

function causeMessage(err: AppError): string | undefined {
  const cause: unknown = err.cause;
  return cause instanceof Error ? `${cause.name}: ${cause.message}` : undefined;
}

/** The one error middleware: `{"error": {code, message, transactionId?, details?}}`, never a stack trace. */
export function errorMiddleware() {
  return (err: unknown, req: Request, res: Response, next: NextFunction): void => {
    const appError = normalizeError(err);
    const locals = res.locals as { errorCode?: string; transactionId?: string };
    locals.errorCode = appError.code;
    if (appError.transactionId !== undefined) locals.transactionId = appError.transactionId;
    if (appError.status >= 500) {
      req.log.error({ code: appError.code, cause: causeMessage(appError) }, 'request failed');
    }
    if (res.headersSent) {
      next(err);
      return;
    }
    if (appError.retryAfterSeconds !== undefined) res.set('Retry-After', String(appError.retryAfterSeconds));
    res.status(appError.status).json({
      error: {
        code: appError.code,
        message: appError.message,
        ...(appError.transactionId === undefined ? {} : { transactionId: appError.transactionId }),
        ...(appError.details === undefined ? {} : { details: appError.details }),
      },
    });
  };
}
