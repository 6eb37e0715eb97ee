package dev.parley.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.parley.testkit.ChatServerProcess;
import dev.parley.testkit.ParleyCluster;
import dev.parley.testkit.TestConnection;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Without {@code --bind} the chat port listens on every address of the host, IPv6 included. */
class DefaultBindIT {
    @RegisterExtension
    static final ParleyCluster cluster = ParleyCluster.builder(DefaultBindIT.class).servers("default-bind-it").build();
    static final ChatServerProcess server = cluster.server();

    @Test
    void theChatPortAnswersOnIpv4AndIpv6Loopback() throws Exception {
        try (TestConnection c = TestConnection.open("127.0.0.1", server.port())) {
            assertThat(c.hello("bind4_alice", "pw").user()).isEqualTo("bind4_alice");
        }
        assumeTrue(hasIpv6Loopback(), "this host has no IPv6 loopback address");
        try (TestConnection c = TestConnection.open("::1", server.port())) {
            assertThat(c.hello("bind6_alice", "pw").user()).isEqualTo("bind6_alice");
        }
    }

    private static boolean hasIpv6Loopback() throws Exception {
        NetworkInterface lo = NetworkInterface.getByInetAddress(InetAddress.getLoopbackAddress());
        return lo != null && Collections.list(lo.getInetAddresses()).stream()
                .anyMatch(a -> a instanceof Inet6Address && a.isLoopbackAddress());
    }
}
