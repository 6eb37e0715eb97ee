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
import dev.parley.testkit.Closer;
import dev.parley.testkit.RedisServer;
import dev.parley.testkit.TestConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Login and registration limits against two real server replicas sharing one real redis-server:
 * what one replica decides about a name or an account, the other sees too.
 */
class LoginLimitsIT {
    private static RedisServer redis;
    private static ChatServerProcess first;
    private static ChatServerProcess second;

    @BeforeAll
    static void start() {
        redis = ItSupport.startRedis(LoginLimitsIT.class, false);
        first = ItSupport.server(LoginLimitsIT.class, redis, "login-it-1").start();
        second = ItSupport.server(LoginLimitsIT.class, redis, "login-it-2").start();
    }

    @AfterAll
    static void stop() {
        Closer.closeAll(second, first, redis);
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
        try (ChatServerProcess third = ItSupport.server(LoginLimitsIT.class, redis, "login-it-3").start()) {
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
