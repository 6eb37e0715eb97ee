package dev.parley.server.auth;

import dev.parley.server.metrics.ServerMetrics;
import dev.parley.server.support.LogThrottle;
import io.micrometer.core.instrument.Counter;
import java.net.SocketAddress;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refused logins: counted by reason in {@code parley_logins_refused_total}, and logged at INFO
 * with the client's address and the reason, throttled so that a flood cannot fill the log: at
 * most one line per account every 10 s and 20 lines a second in all. A line says how many
 * refusals were left out before it. Thread-safe: event loops and auth threads call it.
 */
public final class LoginRefusals {
    private static final Logger log = LoggerFactory.getLogger(LoginRefusals.class);
    static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
    static final int LINES_PER_SECOND = 20;
    private static final long SECOND_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** Accounts remembered for the per-account throttle; the least recently logged are forgotten. */
    private static final int ACCOUNTS = 10_000;

    /** Why a hello did not log in; the metric's {@code reason} is the name in lowercase. */
    public enum Reason { WRONG_PASSWORD, LOCKED_OUT, NAME_TAKEN, RESERVED_NAME, TOO_MANY_SESSIONS, BUSY, TOKEN_REFUSED }

    private final Map<Reason, Counter> counters = new EnumMap<>(Reason.class);
    private final LongSupplier nanoClock;
    private final Map<String, Quiet> recent = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Quiet> eldest) {
            return size() > ACCOUNTS;
        }
    };
    private long windowStart;
    private int windowLines;
    /** Refusals left out by the overall limit since the last line. */
    private long unlogged;
    /** A full auth queue: logged at most every 10 s. */
    private final LogThrottle busy;

    /** When an account was last logged, and its refusals since. */
    private static final class Quiet {
        final long loggedAt;
        long skipped;

        Quiet(long loggedAt) {
            this.loggedAt = loggedAt;
        }
    }

    public LoginRefusals(ServerMetrics metrics) {
        this(metrics, System::nanoTime);
    }

    LoginRefusals(ServerMetrics metrics, LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        for (Reason reason : Reason.values()) {
            counters.put(reason, metrics.loginsRefused(reason.name().toLowerCase(Locale.ROOT)));
        }
        this.windowStart = nanoClock.getAsLong();
        this.busy = new LogThrottle(LOG_INTERVAL_NANOS, TimeUnit.NANOSECONDS, nanoClock);
    }

    /**
     * Records a hello refused because {@code waiting} hellos already wait for a password check;
     * one WARN line every 10 s at most, since the account is not known yet.
     */
    public void busy(int waiting) {
        counters.get(Reason.BUSY).increment();
        long refused = busy.occurred();
        if (refused != LogThrottle.SKIP) {
            log.warn("Refusing hellos with UNAVAILABLE: {} already wait for a password check (--auth-queue){}", waiting,
                    refused == 1 ? "" : "; " + (refused - 1) + " more refused since the last line about it");
        }
    }

    /** Records a login the authenticator refused; other outcomes are ignored. */
    public void refused(String user, SocketAddress from, Authenticator.Result result) {
        switch (result.outcome()) {
            case WRONG_PASSWORD -> refused(user, from, Reason.WRONG_PASSWORD, result.retryAfterMillis() > 0
                    ? "wrong password, " + result.failures() + " in a row; locked for " + result.retryAfterText()
                    : "wrong password");
            case LOCKED_OUT -> refused(user, from, Reason.LOCKED_OUT, "locked out for " + result.retryAfterText()
                    + " more after " + result.failures() + " wrong passwords in a row");
            case NAME_TAKEN -> refused(user, from, Reason.NAME_TAKEN, "name taken by " + result.takenBy());
            case RESERVED_NAME -> refused(user, from, Reason.RESERVED_NAME, "reserved name");
            case TOKEN_REFUSED -> refused(user, from, Reason.TOKEN_REFUSED, "resume token unknown, used or expired");
            default -> {
                // logged in: nothing refused
            }
        }
    }

    /** Records a right password refused because {@code user} has {@code max} sessions on this replica already. */
    public void tooManySessions(String user, SocketAddress from, int max) {
        refused(user, from, Reason.TOO_MANY_SESSIONS, "already " + max + " sessions on this replica");
    }

    void refused(String user, SocketAddress from, Reason reason, String detail) {
        counters.get(reason).increment();
        long now = nanoClock.getAsLong();
        long sameAccount;
        long others;
        synchronized (this) {
            Quiet quiet = recent.get(user);
            if (quiet != null && now - quiet.loggedAt < LOG_INTERVAL_NANOS) {
                quiet.skipped++;
                return;
            }
            if (now - windowStart >= SECOND_NANOS) {
                windowStart = now;
                windowLines = 0;
            }
            if (windowLines >= LINES_PER_SECOND) {
                unlogged++;
                return;
            }
            windowLines++;
            sameAccount = quiet == null ? 0 : quiet.skipped;
            others = unlogged;
            unlogged = 0;
            recent.put(user, new Quiet(now));
        }
        log.info("Refused login for {} from {}: {}{}{}", user, from, detail,
                sameAccount == 0 ? "" : "; " + sameAccount + " more for " + user + " since the last line about it",
                others == 0 ? "" : "; " + others + " more refusals not logged (over " + LINES_PER_SECOND
                        + " lines a second)");
    }
}
