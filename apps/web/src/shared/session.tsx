import type { OrgKind } from '@erp/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { ApiError, api, onUnauthorized, setCsrfToken } from './api';

export interface OrgBrief {
  id: number;
  parentId: number | null;
  code: string;
  name: string;
  nameEn: string | null;
  kind: OrgKind;
  storeMode: 'direct' | 'franchise' | null;
  active: boolean;
}

export interface Me {
  userId: number;
  login: string;
  name: string;
  orgId: number;
  locale: string;
  csrfToken: string | null;
  expiresAt: string;
  grants: string[];
  orgs: OrgBrief[];
}

interface SessionState {
  me: Me | null;
  loading: boolean;
  /** Holds a "function:action" grant. */
  can(grant: string): boolean;
  canAny(grants: readonly string[]): boolean;
  login(login: string, password: string): Promise<Me>;
  logout(): Promise<void>;
  /** Ends this user's sessions on every device. */
  logoutEverywhere(): Promise<void>;
  /** The org the user works in now (filters lists); null = every visible org. */
  currentOrgId: number | null;
  currentOrg: OrgBrief | null;
  setCurrentOrgId(id: number | null): void;
  /** Orgs the user may see, in tree order. */
  orgs: OrgBrief[];
  refresh(): Promise<void>;
}

const SessionContext = createContext<SessionState | null>(null);

const ME_KEY = ['auth', 'me'] as const;

/**
 * Whether this browser holds a session cookie, as far as we know (the cookie itself is HttpOnly). Without it
 * the app shows the login page at once instead of asking /api/auth/me for a 401.
 */
const HINT_KEY = 'erp.signedIn';
function setHint(on: boolean) {
  if (on) localStorage.setItem(HINT_KEY, '1');
  else localStorage.removeItem(HINT_KEY);
}

async function fetchMe(): Promise<Me | null> {
  if (localStorage.getItem(HINT_KEY) !== '1') return null;
  try {
    const me = await api.get<Me>('/api/auth/me');
    setCsrfToken(me.csrfToken);
    return me;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      setHint(false);
      return null;
    }
    throw e;
  }
}

function orgStorageKey(userId: number) {
  return `erp.org.${userId}`;
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const qc = useQueryClient();
  const meQuery = useQuery({ queryKey: ME_KEY, queryFn: fetchMe, staleTime: Number.POSITIVE_INFINITY, retry: 1 });
  const me = meQuery.data ?? null;
  const [currentOrgId, setOrgState] = useState<number | null>(null);

  useEffect(() => {
    onUnauthorized(() => {
      // Only a session that was there and is gone now counts as "expired" (the login page says so).
      if (qc.getQueryData(ME_KEY)) sessionStorage.setItem('erp.expired', '1');
      setHint(false);
      setCsrfToken(null);
      qc.setQueryData(ME_KEY, null);
    });
    return () => onUnauthorized(null);
  }, [qc]);

  // The remembered org of this user, if still visible; a user who sees one org always works in it.
  useEffect(() => {
    if (!me) {
      setOrgState(null);
      return;
    }
    if (me.orgs.length === 1) {
      setOrgState(me.orgs[0]!.id);
      return;
    }
    const saved = Number(localStorage.getItem(orgStorageKey(me.userId)) ?? '');
    setOrgState(me.orgs.some((o) => o.id === saved) ? saved : null);
  }, [me]);

  const grants = useMemo(() => new Set(me?.grants ?? []), [me]);
  const can = useCallback((g: string) => grants.has(g), [grants]);
  const canAny = useCallback((gs: readonly string[]) => gs.length === 0 || gs.some((g) => grants.has(g)), [grants]);

  const refresh = useCallback(async () => {
    await qc.invalidateQueries({ queryKey: ME_KEY });
  }, [qc]);

  const login = useCallback(
    async (loginName: string, password: string) => {
      const res = await api.post<{ csrfToken: string | null }>('/api/auth/login', { login: loginName, password, mode: 'cookie' });
      setCsrfToken(res.csrfToken);
      setHint(true);
      qc.removeQueries({ predicate: (q) => q.queryKey[0] !== 'auth' });
      const fresh = await fetchMe();
      qc.setQueryData(ME_KEY, fresh);
      if (!fresh) throw new Error('session not established');
      return fresh;
    },
    [qc],
  );

  const signOut = useCallback(
    async (url: string) => {
      try {
        await api.post(url);
      } finally {
        setHint(false);
        setCsrfToken(null);
        qc.setQueryData(ME_KEY, null);
        qc.removeQueries({ predicate: (q) => q.queryKey[0] !== 'auth' });
      }
    },
    [qc],
  );
  const logout = useCallback(() => signOut('/api/auth/logout'), [signOut]);
  const logoutEverywhere = useCallback(() => signOut('/api/auth/logout-all'), [signOut]);

  const setCurrentOrgId = useCallback(
    (id: number | null) => {
      if (me) {
        if (id === null) localStorage.removeItem(orgStorageKey(me.userId));
        else localStorage.setItem(orgStorageKey(me.userId), String(id));
      }
      setOrgState(id);
    },
    [me],
  );

  const value = useMemo<SessionState>(
    () => ({
      me,
      loading: meQuery.isPending,
      can,
      canAny,
      login,
      logout,
      logoutEverywhere,
      currentOrgId,
      currentOrg: me?.orgs.find((o) => o.id === currentOrgId) ?? null,
      setCurrentOrgId,
      orgs: me?.orgs ?? [],
      refresh,
    }),
    [me, meQuery.isPending, can, canAny, login, logout, logoutEverywhere, currentOrgId, setCurrentOrgId, refresh],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const ctx = useContext(SessionContext);
  if (!ctx) throw new Error('SessionProvider missing');
  return ctx;
}

/** The signed-in user; only for screens behind the login guard. */
export function useMe(): Me {
  const { me } = useSession();
  if (!me) throw new Error('not signed in');
  return me;
}
