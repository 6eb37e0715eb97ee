package dev.parley.server.it;

import static dev.parley.server.it.ItSupport.PASSWORD;
import static dev.parley.server.it.ItSupport.WAIT;
import static dev.parley.server.it.ItSupport.assertUsable;
import static dev.parley.server.it.ItSupport.expectError;
import static dev.parley.server.it.ItSupport.login;
import static dev.parley.server.it.ItSupport.ref;
import static dev.parley.server.it.ItSupport.register;
import static dev.parley.server.it.ItSupport.sendAcked;
import static dev.parley.server.it.ItSupport.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.protocol.ChatMessage;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.FrameCodec;
import dev.parley.protocol.Protocol;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.auth.PasswordHasher;
import dev.parley.testkit.ChatServerProcess;
import dev.parley.testkit.ParleyCluster;
import dev.parley.testkit.RedisServer;
import dev.parley.testkit.TestConnection;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

/**
 * Protocol v1 sessions: hello registers and then checks the password, which names and texts are
 * refused, what is answered before login, who lists the users online, and bye.
 *
 * <p>One server and one redis-server serve every test of the class: each test uses user names of
 * its own, and tests run one after another, so broadcasts from one test never reach another's
 * sessions.
 */
class LoginIT {
    @RegisterExtension
    static final ParleyCluster cluster = ParleyCluster.builder(LoginIT.class).servers("login-it")
            .arg("--rate-limit", "0").build();
    private static final ChatServerProcess server = cluster.server();
    private static final RedisServer redis = cluster.redis();

    // ------------------------------------------------------------------ login

    @Test
    void helloRegistersThenRequiresTheSamePassword() {
        String alice = user("alice");
        try (TestConnection first = server.connect()) {
            first.send(new ClientFrame.Hello(alice, "pw-one", null, null, null));
            ServerFrame.Welcome welcome = first.expect(ServerFrame.Welcome.class);
            assertThat(welcome.user()).isEqualTo(alice);
            assertThat(welcome.node()).isEqualTo("login-it");
            first.expect(ServerFrame.History.class);
        }
        try (TestConnection wrong = server.connect()) {
            wrong.send(new ClientFrame.Hello(alice, "pw-two", null, null, null));
            expectError(wrong, ErrorCode.AUTH_FAILED);
            assertThat(wrong.awaitClosed(WAIT)).as("connection closed after AUTH_FAILED").isTrue();
        }
        try (TestConnection again = server.connect()) {
            again.send(new ClientFrame.Hello(alice, "pw-one", null, 0, null));
            again.expect(ServerFrame.Welcome.class);
            again.expect(ServerFrame.History.class);
            // a verified login is remembered by the server; a wrong password must still fail after it
            try (TestConnection wrongAgain = server.connect()) {
                wrongAgain.send(new ClientFrame.Hello(alice, "pw-one ", null, 0, null));
                expectError(wrongAgain, ErrorCode.AUTH_FAILED);
                assertThat(wrongAgain.awaitClosed(WAIT)).isTrue();
            }
            assertUsable(again);
        }
    }

    @Test
    void registerFalseRefusesAnUnknownNameWithoutRegisteringItAndWelcomeSaysWhenAnAccountIsNew() {
        String alcie = user("alcie");
        try (TestConnection c = server.connect()) {
            c.send(new ClientFrame.Hello(alcie, "pw", null, 0, null, "1.1").withoutRegistering());
            assertThat(expectError(c, ErrorCode.NO_SUCH_USER).message()).contains("no such user: " + alcie);
            assertThat(redis.command("HEXISTS parley:users " + alcie)).isEqualTo(":0");
            // the connection stays open: the same hello without the flag registers the name
            c.send(new ClientFrame.Hello(alcie, "pw", null, 0, null, "1.1"));
            ServerFrame.Welcome welcome = c.expect(ServerFrame.Welcome.class);
            assertThat(welcome.registered()).as("a new account").isTrue();
        }
        try (TestConnection c = server.connect()) {
            // an existing account logs in with register:false as with any hello
            c.send(new ClientFrame.Hello(alcie, "pw", null, 0, null, "1.1").withoutRegistering());
            assertThat(c.expect(ServerFrame.Welcome.class).registered()).isFalse();
        }
    }

    @Test
    void concurrentFirstHellosWithDifferentPasswordsRegisterOnlyOne() throws Exception {
        String name = user("race");
        int n = 6;
        List<TestConnection> conns = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                conns.add(server.connect());
            }
            for (int i = 0; i < n; i++) {
                conns.get(i).send(new ClientFrame.Hello(name, "password-" + i, null, 0, null));
            }
            int welcomed = 0;
            for (TestConnection c : conns) {
                ServerFrame f = c.next(WAIT);
                if (f instanceof ServerFrame.Welcome) {
                    welcomed++;
                } else {
                    assertThat(f).isInstanceOf(ServerFrame.Error.class);
                    assertThat(((ServerFrame.Error) f).code()).isEqualTo(ErrorCode.AUTH_FAILED);
                }
            }
            assertThat(welcomed).as("exactly one password registered the name").isEqualTo(1);
        } finally {
            conns.forEach(TestConnection::close);
        }
    }

    @Test
    void reservedAndMalformedUserNamesAreInvalidAndTheConnectionStaysUsable() {
        try (TestConnection c = server.connect()) {
            for (String bad : List.of("server", "", "has space", "x".repeat(33), "caf\u00e9", "a/b", "*")) {
                c.send(new ClientFrame.Hello(bad, PASSWORD, null, null, null));
                ServerFrame.Error e = expectError(c, ErrorCode.INVALID);
                assertThat(e.message()).as("reason for '" + bad + "'").isNotBlank();
                assertUsable(c);
            }
            c.send(new ClientFrame.Hello("x", "", null, null, null));
            expectError(c, ErrorCode.INVALID);
            // after all that, the same connection can still log in, with a 32-character name
            String longest = user("l".repeat(40));
            assertThat(longest).hasSize(32);
            c.send(new ClientFrame.Hello(longest, PASSWORD, null, 0, null));
            assertThat(c.expect(ServerFrame.Welcome.class).user()).isEqualTo(longest);
        }
    }

    @Test
    void reservedNamesCannotBeRegisteredInAnyCase() {
        try (TestConnection c = server.connect()) {
            for (String reserved : List.of("Server", "SERVER", "admin", "Admin", "system", "SyStEm")) {
                c.send(new ClientFrame.Hello(reserved, PASSWORD, null, 0, null));
                ServerFrame.Error e = expectError(c, ErrorCode.INVALID);
                assertThat(e.message()).contains("the name " + reserved + " is reserved");
            }
            // nothing was registered: the names are still free of accounts, and the connection works
            String fine = user("not-admin");
            c.send(new ClientFrame.Hello(fine, PASSWORD, null, 0, null));
            assertThat(c.expect(ServerFrame.Welcome.class).user()).isEqualTo(fine);
        }
        assertThat(redis.command("HEXISTS parley:users admin")).isEqualTo(":0");
        assertThat(redis.command("HEXISTS parley:users Server")).isEqualTo(":0");
    }

    @Test
    void textWithAnUnpairedSurrogateIsRefusedNotChanged() {
        String alice = user("sur-a");
        String bob = user("sur-b");
        register(server, bob);
        try (TestConnection a = login(server, alice)) {
            // JSON may escape a lone surrogate; it is not Unicode text, so it cannot be stored as sent
            a.sendRaw(("{\"type\":\"send\",\"to\":\"" + bob + "\",\"text\":\"a\\ud800b\",\"ref\":\"s1\"}\n")
                    .getBytes(StandardCharsets.UTF_8));
            ServerFrame.Error e = expectError(a, ErrorCode.INVALID);
            assertThat(e.ref()).isEqualTo("s1");
            assertThat(e.message()).contains("not valid Unicode");
            // a proper pair (an emoji) is fine
            assertThat(sendAcked(a, bob, "ok \ud83d\ude00").id()).isPositive();
            a.send(new ClientFrame.HistoryRequest(bob, null, 10));
            List<ChatMessage> stored = a.skipUntil(ServerFrame.History.class, WAIT).messages();
            assertThat(stored).extracting(ChatMessage::text).containsExactly("ok \ud83d\ude00");
        }
    }

    @Test
    void framesWrittenRightBehindTheHelloWaitForTheLoginAndAreAnsweredInOrder() {
        String alice = user("piped");
        ByteArrayOutputStream frames = new ByteArrayOutputStream();
        frames.writeBytes(FrameCodec.encode(new ClientFrame.Hello(alice, PASSWORD, null, 0, null)));
        frames.writeBytes(FrameCodec.encode(new ClientFrame.Send("*", "right behind", "p1")));
        frames.writeBytes(FrameCodec.encode(new ClientFrame.Who()));
        try (TestConnection c = server.connect()) {
            // one write: the server decodes all three before the login (a slow hash) is done
            c.sendRaw(frames.toByteArray());
            assertThat(c.expect(ServerFrame.Welcome.class).user()).isEqualTo(alice);
            c.expect(ServerFrame.History.class);
            // the send and the who, neither refused; the ack comes when the store has it, so the who
            // (answered from presence) may come first
            List<ServerFrame> answers = new ArrayList<>();
            for (int i = 0; i < 3 && answers.size() < 2; i++) {
                ServerFrame f = c.next(WAIT);
                assertThat(f).as("answer %d", answers.size() + 1).isNotNull();
                if (!(f instanceof ServerFrame.Msg)) { // a copy of the broadcast is not an answer
                    answers.add(f);
                }
            }
            assertThat(answers).filteredOn(f -> f instanceof ServerFrame.Ack a && a.ref().equals("p1") && a.id() > 0)
                    .hasSize(1);
            assertThat(answers).filteredOn(f -> f instanceof ServerFrame.WhoList w && w.users().contains(alice))
                    .hasSize(1);
            assertUsable(c);
        }
    }

    @Test
    void aHashMadeWithFewerIterationsIsRedoneAtTheNextLogin() {
        String old = user("old-hash");
        // an account from the days of a lower default: fewer iterations than this server uses
        String weak = new PasswordHasher(500).hash(PASSWORD);
        try (Jedis jedis = new Jedis("127.0.0.1", redis.port())) {
            jedis.hset("parley:users", old, weak);
            try (TestConnection c = login(server, old)) {
                assertUsable(c);
            }
            String now = jedis.hget("parley:users", old);
            assertThat(now).isNotEqualTo(weak).startsWith("pbkdf2-sha256$" + ParleyCluster.TEST_PASSWORD_ITERATIONS + "$");
            // the same password opens the rehashed account, and a login at today's count changes nothing
            try (TestConnection c = login(server, old)) {
                assertUsable(c);
            }
            assertThat(jedis.hget("parley:users", old)).isEqualTo(now);
        }
    }

    @Test
    void onlyHelloAndPingAreAnsweredBeforeLogin() {
        try (TestConnection c = server.connect()) {
            assertUsable(c);
            c.send(new ClientFrame.Send("*", "too early", "early-1"));
            assertThat(expectError(c, ErrorCode.NOT_AUTHENTICATED).ref()).isEqualTo("early-1");
            c.send(new ClientFrame.HistoryRequest("*", null, null));
            expectError(c, ErrorCode.NOT_AUTHENTICATED);
            c.send(new ClientFrame.Who());
            expectError(c, ErrorCode.NOT_AUTHENTICATED);
            c.send(new ClientFrame.Bye());
            expectError(c, ErrorCode.NOT_AUTHENTICATED);
            assertUsable(c);
            String u = user("late");
            c.send(new ClientFrame.Hello(u, PASSWORD, null, 0, null));
            c.expect(ServerFrame.Welcome.class);
            c.expect(ServerFrame.History.class);
            // and a second hello on a logged-in connection is refused without closing it
            c.send(new ClientFrame.Hello(u, PASSWORD, null, 0, null));
            expectError(c, ErrorCode.INVALID);
            assertUsable(c);
        }
    }

    // ------------------------------------------------------------------ who, bye

    @Test
    void whoListsTheUsersOnline() {
        String alice = user("who-a");
        String bob = user("who-b");
        try (TestConnection a = login(server, alice)) {
            try (TestConnection b = login(server, bob)) {
                a.send(new ClientFrame.Who());
                assertThat(a.expect(ServerFrame.WhoList.class).users()).contains(alice, bob);
            }
            await().atMost(WAIT).untilAsserted(() -> {
                a.send(new ClientFrame.Who());
                assertThat(a.expect(ServerFrame.WhoList.class).users()).contains(alice).doesNotContain(bob);
            });
        }
    }

    @Test
    void byeClosesTheConnectionAfterTheAcksItIsOwed() {
        String alice = user("bye");
        try (TestConnection a = login(server, alice)) {
            ByteArrayOutputStream frames = new ByteArrayOutputStream();
            for (int i = 0; i < 20; i++) {
                frames.writeBytes(FrameCodec.encode(new ClientFrame.Send("*", "b" + i, "b" + i)));
            }
            frames.writeBytes(FrameCodec.encode(new ClientFrame.Bye()));
            a.sendRaw(frames.toByteArray());
            for (int i = 0; i < 20; i++) {
                assertThat(a.expect(ServerFrame.Ack.class).ref()).isEqualTo("b" + i);
            }
            assertThat(a.awaitClosed(WAIT)).isTrue();
        }
    }
}
