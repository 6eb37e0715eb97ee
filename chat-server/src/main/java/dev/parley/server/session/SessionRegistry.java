package dev.parley.server.session;

import java.util.Arrays;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sessions logged in on this replica, by user. Read by the fan-out thread on every message,
 * changed by event loops on login and logout: lookups are lock-free reads of small arrays.
 */
public final class SessionRegistry {
    private static final Session[] NONE = new Session[0];

    private final ConcurrentHashMap<String, Session[]> byUser = new ConcurrentHashMap<>();
    private final Set<Session> all = ConcurrentHashMap.newKeySet();

    public void add(Session session) {
        add(session, Integer.MAX_VALUE);
    }

    /**
     * Adds {@code session} unless its user has {@code maxPerUser} sessions here already; returns
     * whether it did. Checked and added in one step, so logins racing on several event loops
     * cannot pass the cap together.
     */
    public boolean add(Session session, int maxPerUser) {
        boolean[] added = {false};
        byUser.compute(session.user(), (u, old) -> {
            if (old == null) {
                added[0] = true;
                return new Session[] {session};
            }
            if (old.length >= maxPerUser) {
                return old;
            }
            Session[] grown = Arrays.copyOf(old, old.length + 1);
            grown[old.length] = session;
            added[0] = true;
            return grown;
        });
        if (added[0]) {
            all.add(session);
        }
        return added[0];
    }

    public void remove(Session session) {
        if (!all.remove(session)) {
            return;
        }
        byUser.computeIfPresent(session.user(), (u, old) -> {
            Session[] kept = Arrays.stream(old).filter(s -> s != session).toArray(Session[]::new);
            if (kept.length == 0) {
                return null;
            }
            return kept;
        });
    }

    public Session[] sessionsOf(String user) {
        Session[] found = byUser.get(user);
        return found == null ? NONE : found;
    }

    public Collection<Session> all() {
        return all;
    }

    /** Users with at least one session here. */
    public Set<String> users() {
        return byUser.keySet();
    }
}
