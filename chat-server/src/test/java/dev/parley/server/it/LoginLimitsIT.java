package dev.parley.server.it;

import static dev.parley.server.it.ItSupport.PASSWORD;
import static dev.parley.server.it.ItSupport.WAIT;
import static dev.parley.server.it.ItSupport.assertUsable;
import static dev.parley.server.it.ItSupport.expectError;
import static dev.parley.server.it.ItSupport.login;
import static dev.parley.server.it.ItSupport.register;
import static dev.parley.server.it.ItSupport.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ServerFrame;
import dev.parley.testkit.ChatServerProcess;
import dev.parley.testkit.ParleyCluster;
import dev.parley.testkit.RedisServer;
import dev.parley.testkit.TestConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Login and registration limits against two real server replicas sharing one real redis-server:
 * what one replica decides about a name or an account, the other sees too.
 */
class LoginLimitsIT {
    /** Short, so that the test waits out a lock; 1 s by default. */
    private static final Duration BACKOFF = Duration.ofSeconds(2);
    private static final int ALLOWED_FAILURES = 5;
    private static final int MAX_SESSIONS = 3;

    @RegisterExtension
    static final ParleyCluster cluster = ParleyCluster.builder(LoginLimitsIT.class).servers("login-it-1", "login-it-2")
            .arg("--login-backoff", BACKOFF.toMillis() + "ms")
            .arg("--max-sessions-per-user", Integer.toString(MAX_SESSIONS))
            .build();
    private static final ChatServerProcess first = cluster.server("login-it-1");
    private static final ChatServerProcess second = cluster.server("login-it-2");
    private static final RedisServer redis = cluster.redis();

    // ------------------------------------------------------------------ wrong passwords

    @Test
    void wrongPasswordsLockAnAccountOnEveryReplicaEvenAgainstTheRightPasswordUntilTheWaitIsOver() {
        String victim = user("victim");
        register(first, victim);
        long beforeLastGuess = 0;
        for (int i = 1; i <= ALLOWED_FAILURES; i++) {
            // alternating replicas: the count lives in Redis, not in one server
            if (i == ALLOWED_FAILURES) {
                beforeLastGuess = System.nanoTime();
            }
            String message = refusedLogin(i % 2 == 0 ? second : first, victim, "guess-" + i);
            assertThat(message).startsWith("wrong password for " + victim);
            if (i < ALLOWED_FAILURES) {
                assertThat(message).as("guess " + i).doesNotContain("try again");
            } else {
                assertThat(message).as("guess " + i).contains("try again in 2 s");
            }
        }
        for (ChatServerProcess server : List.of(first, second)) {
            assertThat(refusedLogin(server, victim, PASSWORD)).as("the right password on " + server.nodeId())
                    .startsWith("too many wrong passwords for " + victim).contains("try again in");
        }
        long pttl = Long.parseLong(redis.command("PTTL parley:authfail:" + victim).substring(1));
        assertThat(pttl).as("the failures expire by themselves").isPositive();
        await().atMost(BACKOFF.plus(WAIT)).pollInterval(Duration.ofMillis(200))
                .until(() -> loginWorks(second, victim));
        assertThat(Duration.ofNanos(System.nanoTime() - beforeLastGuess)).as("lock waited out")
                .isGreaterThanOrEqualTo(BACKOFF);
        assertThat(redis.command("EXISTS parley:authfail:" + victim)).as("reset by the right password").isEqualTo(":0");
        assertThat(refusedLogin(first, victim, "one more guess")).isEqualTo("wrong password for " + victim);
    }

    @Test
    void refusedLoginsAreCountedByReasonAndLoggedWithTheAddressWithoutFloodingTheLog() {
        String target = user("flooded");
        // only this run's lines: the log file under target/ keeps those of earlier runs, with the same names
        int logBefore = first.logText().length();
        register(first, target);
        double wrongBefore = refusedCount(first, "wrong_password");
        double lockedBefore = refusedCount(first, "locked_out");
        int guesses = 30;
        long started = System.nanoTime();
        for (int i = 0; i < guesses; i++) {
            refusedLogin(first, target, "guess-" + i);
        }
        long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
        assertThat(refusedCount(first, "wrong_password") - wrongBefore).isEqualTo(ALLOWED_FAILURES);
        assertThat(refusedCount(first, "locked_out") - lockedBefore).isEqualTo(guesses - ALLOWED_FAILURES);
        String prefix = "Refused login for " + target + " from /127.0.0.1:";
        await().atMost(WAIT).until(() -> first.logText().substring(logBefore).contains(prefix));
        List<String> lines = first.logText().substring(logBefore).lines().filter(l -> l.contains(prefix)).toList();
        assertThat(lines.get(0)).contains("wrong password");
        // one line per account every 10 s, however fast the guesses come
        assertThat(lines).as("log lines about " + target).hasSizeLessThanOrEqualTo(1 + (int) (seconds / 10));
    }

    /** The value of {@code parley_logins_refused_total{reason=...}} in the server's /metrics. */
    private static double refusedCount(ChatServerProcess server, String reason) {
        String metrics = server.get("/metrics").body();
        Matcher m = Pattern.compile("^parley_logins_refused_total\\{reason=\"" + reason + "\"} (\\S+)$", Pattern.MULTILINE)
                .matcher(metrics);
        assertThat(m.find()).as("parley_logins_refused_total for " + reason + " in /metrics").isTrue();
        return Double.parseDouble(m.group(1));
    }

    /** A hello with {@code password} is refused with AUTH_FAILED and the connection closed; returns the reason. */
    private static String refusedLogin(ChatServerProcess server, String user, String password) {
        try (TestConnection c = server.connect()) {
            c.send(new ClientFrame.Hello(user, password, null, 0, null));
            String message = expectError(c, ErrorCode.AUTH_FAILED).message();
            assertThat(c.awaitClosed(WAIT)).as("closed after AUTH_FAILED").isTrue();
            return message;
        }
    }

    private static boolean loginWorks(ChatServerProcess server, String user) {
        try (TestConnection c = server.connect()) {
            c.send(new ClientFrame.Hello(user, PASSWORD, null, 0, null));
            return c.next(WAIT) instanceof ServerFrame.Welcome;
        }
    }

    // ------------------------------------------------------------------ sessions per user

    @Test
    void aUserHasAtMostTheCapOfSessionsPerReplicaAndTheRefusedConnectionMayTryAgain() {
        String busy = user("many");
        List<TestConnection> sessions = new ArrayList<>();
        try (TestConnection extra = first.connect()) {
            for (int i = 0; i < MAX_SESSIONS; i++) {
                sessions.add(login(first, busy));
            }
            double before = refusedCount(first, "too_many_sessions");
            extra.send(new ClientFrame.Hello(busy, PASSWORD, null, 0, null));
            ServerFrame.Error e = expectError(extra, ErrorCode.INVALID);
            assertThat(e.message()).contains(busy, "already has " + MAX_SESSIONS + " sessions", "close one");
            assertUsable(extra);
            assertThat(refusedCount(first, "too_many_sessions") - before).isEqualTo(1);
            // the cap is per replica: another one has room
            try (TestConnection elsewhere = login(second, busy)) {
                assertUsable(elsewhere);
            }
            // one session closes; the refused connection logs in with the same hello
            sessions.remove(0).close();
            await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
                extra.send(new ClientFrame.Hello(busy, PASSWORD, null, 0, null));
                ServerFrame f = extra.next(WAIT);
                return f instanceof ServerFrame.Welcome;
            });
            extra.expect(ServerFrame.History.class);
            assertUsable(extra);
            for (TestConnection s : sessions) {
                assertUsable(s);
            }
        } finally {
            sessions.forEach(TestConnection::close);
        }
    }

    // ------------------------------------------------------------------ names without regard to case

    @Test
    void aNameIsTakenInEveryCaseAndItsOwnerLogsInWithExactlyTheirName() {
        String alice = user("alice");
        register(first, alice);
        for (String variant : List.of(alice.toUpperCase(Locale.ROOT), "A" + alice.substring(1))) {
            for (ChatServerProcess server : List.of(first, second)) {
                try (TestConnection c = server.connect()) {
                    c.send(new ClientFrame.Hello(variant, PASSWORD, null, 0, null));
                    ServerFrame.Error e = expectError(c, ErrorCode.INVALID);
                    assertThat(e.message()).as("why " + variant + " is refused").contains("taken", alice);
                    assertUsable(c);
                }
            }
            assertThat(redis.command("HEXISTS parley:users " + variant)).as(variant + " registered").isEqualTo(":0");
        }
        try (TestConnection c = login(second, alice)) {
            assertUsable(c);
        }
    }

    @Test
    void caseVariantsRegisteringAtOnceOnTwoReplicasMakeOneAccount() {
        String base = user("racecase");
        List<String> variants = new ArrayList<>();
        for (int mask = 0; mask < 8; mask++) {
            StringBuilder name = new StringBuilder(base);
            for (int i = 0; i < 3; i++) {
                if ((mask & (1 << i)) != 0) {
                    name.setCharAt(i, Character.toUpperCase(name.charAt(i)));
                }
            }
            variants.add(name.toString());
        }
        List<TestConnection> conns = new ArrayList<>();
        try {
            for (int i = 0; i < variants.size(); i++) {
                conns.add((i % 2 == 0 ? first : second).connect());
            }
            // connected first, then the hellos in one go, so the registrations overlap
            for (int i = 0; i < variants.size(); i++) {
                conns.get(i).send(new ClientFrame.Hello(variants.get(i), PASSWORD, null, 0, null));
            }
            List<String> welcomed = new ArrayList<>();
            for (int i = 0; i < variants.size(); i++) {
                ServerFrame f = conns.get(i).next(WAIT);
                if (f instanceof ServerFrame.Welcome w) {
                    welcomed.add(w.user());
                } else {
                    assertThat(f).as("answer to " + variants.get(i)).isInstanceOf(ServerFrame.Error.class);
                    ServerFrame.Error e = (ServerFrame.Error) f;
                    assertThat(e.code()).as("answer to " + variants.get(i)).isEqualTo(ErrorCode.INVALID);
                    assertThat(e.message()).contains("taken");
                }
            }
            assertThat(welcomed).as("variants that got an account").hasSize(1);
            long registered = variants.stream()
                    .filter(v -> ":1".equals(redis.command("HEXISTS parley:users " + v))).count();
            assertThat(registered).as("accounts in Redis").isEqualTo(1);
            assertThat(redis.command("HEXISTS parley:names " + base)).as("index entry").isEqualTo(":1");
        } finally {
            conns.forEach(TestConnection::close);
        }
    }

    @Test
    void anAccountFromBeforeTheIndexKeepsItsNameAndBlocksItsCaseVariantsOnceAReplicaStarts() {
        String legacy = "L" + user("legacy");
        register(first, legacy);
        // what an account registered by an earlier version looks like: no entry in the index
        String field = legacy.toLowerCase(Locale.ROOT);
        assertThat(redis.command("HDEL parley:names " + field)).isEqualTo(":1");
        // a replica indexes the names it finds when it starts (as after an upgrade)
        try (ChatServerProcess third = cluster.newServer("login-it-3").start()) {
            await().atMost(WAIT).untilAsserted(() ->
                    assertThat(redis.command("HEXISTS parley:names " + field)).isEqualTo(":1"));
            try (TestConnection c = first.connect()) {
                c.send(new ClientFrame.Hello(field, PASSWORD, null, 0, null));
                assertThat(expectError(c, ErrorCode.INVALID).message()).contains("taken", legacy);
            }
            try (TestConnection c = login(third, legacy)) {
                assertUsable(c);
            }
        }
    }
}
