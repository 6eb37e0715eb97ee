package dev.parley.server.it;

import static dev.parley.server.it.ItSupport.PASSWORD;
import static dev.parley.server.it.ItSupport.WAIT;
import static dev.parley.server.it.ItSupport.expectError;
import static dev.parley.server.it.ItSupport.user;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.Protocol;
import dev.parley.protocol.ServerFrame;
import dev.parley.testkit.ChatServerProcess;
import dev.parley.testkit.ParleyCluster;
import dev.parley.testkit.TestConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A v1.1 welcome brings a resume token: one later hello may give it instead of the password (no
 * password hash to pay in a reconnect storm), once, for its own user, until the session that got
 * it says bye.
 */
class ResumeTokenIT {
    @RegisterExtension
    static final ParleyCluster cluster = ParleyCluster.builder(ResumeTokenIT.class).servers("token-it").build();
    private static final ChatServerProcess server = cluster.server();

    private static ClientFrame.Hello hello(String user) {
        return new ClientFrame.Hello(user, PASSWORD, null, 0, null, Protocol.VERSION);
    }

    /** Logs in with {@code hello}; returns the welcome (the connection stays open in {@code c}). */
    private static ServerFrame.Welcome welcome(TestConnection c, ClientFrame.Hello hello) {
        c.send(hello);
        return c.expect(ServerFrame.Welcome.class);
    }

    @Test
    void aTokenLogsInOnceInPlaceOfThePasswordAndTheWelcomeBringsTheNext() {
        String dana = user("tok-dana");
        String first;
        try (TestConnection c = server.connect()) {
            first = welcome(c, hello(dana)).token();
        }
        assertThat(first).as("token in a v1.1 welcome").isNotBlank();
        String second;
        try (TestConnection c = server.connect()) {
            ServerFrame.Welcome w = welcome(c, hello(dana).resuming(first));
            assertThat(w.user()).isEqualTo(dana);
            second = w.token();
        }
        assertThat(second).isNotBlank().isNotEqualTo(first);
        try (TestConnection c = server.connect()) {
            c.send(hello(dana).resuming(first));
            assertThat(expectError(c, ErrorCode.AUTH_FAILED).message()).contains("resume token");
            assertThat(c.awaitClosed(WAIT)).isTrue();
        }
        try (TestConnection c = server.connect()) {
            assertThat(welcome(c, hello(dana).resuming(second)).user()).isEqualTo(dana);
        }
    }

    @Test
    void aV10WelcomeHasNoToken() {
        try (TestConnection c = server.connect()) {
            assertThat(welcome(c, new ClientFrame.Hello(user("tok-old"), PASSWORD, null, 0, null)).token()).isNull();
        }
    }

    @Test
    void aTokenIsForItsOwnUserOnly() {
        String erin = user("tok-erin");
        String frank = user("tok-frank");
        String token;
        try (TestConnection c = server.connect()) {
            token = welcome(c, hello(erin)).token();
        }
        try (TestConnection c = server.connect()) {
            welcome(c, hello(frank));
        }
        try (TestConnection c = server.connect()) {
            c.send(hello(frank).resuming(token));
            expectError(c, ErrorCode.AUTH_FAILED);
        }
    }

    @Test
    void aConnectedUsersTokenStillWorksWhileGuessersLockTheirAccount() {
        String gail = user("tok-gail");
        String token;
        try (TestConnection c = server.connect()) {
            token = welcome(c, hello(gail)).token();
        }
        for (int i = 0; i < 6; i++) {
            try (TestConnection c = server.connect()) {
                c.send(new ClientFrame.Hello(gail, "a guess " + i, null, 0, null, Protocol.VERSION));
                expectError(c, ErrorCode.AUTH_FAILED);
            }
        }
        try (TestConnection c = server.connect()) {
            c.send(hello(gail));
            assertThat(expectError(c, ErrorCode.AUTH_FAILED).message()).contains("try again in");
        }
        try (TestConnection c = server.connect()) {
            assertThat(welcome(c, hello(gail).resuming(token)).user()).isEqualTo(gail);
        }
    }

    @Test
    void byeRevokesTheTokenTheSessionWasGiven() {
        String hana = user("tok-hana");
        String token;
        try (TestConnection c = server.connect()) {
            token = welcome(c, hello(hana)).token();
            c.expect(ServerFrame.History.class);
            c.send(new ClientFrame.Bye());
            assertThat(c.awaitClosed(WAIT)).isTrue();
        }
        try (TestConnection c = server.connect()) {
            c.send(hello(hana).resuming(token));
            expectError(c, ErrorCode.AUTH_FAILED);
        }
    }
}
