import { useEffect, useRef, useState } from 'react';

export interface CustodianQueryResult<T> {
  data: T | undefined;
  error: Error | undefined;
  isPending: boolean;
}

interface Settled<T> {
  key: string;
  data?: T;
  error?: Error;
}

/**
 * Loads one of the data provider's named reads (policy, chain verification) once per `key`;
 * a `null` key loads nothing. A result that arrives after the key changed is ignored.
 */
export function useCustodianQuery<T>(key: string | null, load: () => Promise<T>): CustodianQueryResult<T> {
  const [settled, setSettled] = useState<Settled<T> | null>(null);
  const loader = useRef(load);
  useEffect(() => {
    loader.current = load;
  });

  useEffect(() => {
    if (key === null) return;
    let live = true;
    loader.current().then(
      (data) => live && setSettled({ key, data }),
      (error: unknown) =>
        live && setSettled({ key, error: error instanceof Error ? error : new Error(String(error)) }),
    );
    return () => {
      live = false;
    };
  }, [key]);

  const current = settled?.key === key ? settled : undefined;
  return {
    data: current?.data,
    error: current?.error,
    isPending: key !== null && current === undefined,
  };
}
