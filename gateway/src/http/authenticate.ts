import type { NextFunction, Request, Response } from 'express';
import type { ApiKeyStore } from '../auth/api-keys';
import { AppError } from '../errors';

function presentedKey(req: Request): string | undefined {
  const authorization = req.get('authorization');
  if (authorization !== undefined) {
    const [scheme, token, ...rest] = authorization.split(' ');
    if (scheme?.toLowerCase() === 'bearer' && token !== undefined && token !== '' && rest.length === 0) return token;
    return undefined;
  }
  return req.get('x-api-key');
}

/** Resolves `Authorization: Bearer <key>` or `X-API-Key: <key>` to a principal in `res.locals.principal`. */
export function authenticate(keys: ApiKeyStore) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const key = presentedKey(req);
    if (key === undefined || key === '') {
      next(new AppError('UNAUTHENTICATED', 'an API key is required (Authorization: Bearer <key> or X-API-Key)'));
      return;
    }
    const principal = keys.authenticate(key);
    if (principal === undefined) {
      next(new AppError('UNAUTHENTICATED', 'the API key is not valid'));
      return;
    }
    (res.locals as { principal?: unknown }).principal = principal;
    next();
  };
}
