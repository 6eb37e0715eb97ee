package dev.parley.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.testkit.ChatServerProcess;
import dev.parley.testkit.ParleyCluster;
import dev.parley.testkit.TestConnection;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code --bind}: the chat port listens on the address given and no other. 127.0.0.2 is a
 * loopback address of its own on Linux, so 127.0.0.1 on the same port must be refused.
 */
class BindIT {
    private static final String BOUND = "127.0.0.2";

    @RegisterExtension
    static final ParleyCluster cluster = ParleyCluster.builder(BindIT.class).servers("bind-it")
            .arg("--bind", BOUND).build();
    static final ChatServerProcess server = cluster.server();

    @Test
    void theChatPortListensOnlyOnTheBoundAddress() {
        try (TestConnection c = TestConnection.open(BOUND, server.port())) {
            assertThat(c.hello("bind_alice", "pw").user()).isEqualTo("bind_alice");
        }
        assertThatThrownBy(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", server.port()), 2000);
            }
        }).isInstanceOf(ConnectException.class);
        // the HTTP port keeps its own --http-bind, every address by default
        assertThat(server.httpStatus("/readyz")).isEqualTo(200);
    }
}
