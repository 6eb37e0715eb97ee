package dev.parley.server.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class ConnectionAdmissionTest {
    private static InetAddress address(int last) throws Exception {
        return InetAddress.getByAddress(new byte[] {10, 0, 0, (byte) last});
    }

    @Test
    void theGlobalCapCountsEveryAddressAndAReleaseFreesASlot() throws Exception {
        ConnectionAdmission admission = new ConnectionAdmission(3, 0);
        assertThat(admission.admit(address(1))).isNull();
        assertThat(admission.admit(address(2))).isNull();
        assertThat(admission.admit(address(3))).isNull();
        assertThat(admission.admit(address(4))).contains("the server is full (3 connections)");
        assertThat(admission.open()).isEqualTo(3);

        admission.release(address(2));
        assertThat(admission.admit(address(4))).isNull();
    }

    @Test
    void thePerAddressCapLeavesOtherAddressesAlone() throws Exception {
        ConnectionAdmission admission = new ConnectionAdmission(100, 2);
        assertThat(admission.admit(address(1))).isNull();
        assertThat(admission.admit(address(1))).isNull();
        assertThat(admission.admit(address(1))).contains("too many connections from 10.0.0.1 (2)");
        assertThat(admission.admit(address(2))).isNull();
        assertThat(admission.open()).as("the refused one is not counted").isEqualTo(3);

        admission.release(address(1));
        assertThat(admission.admit(address(1))).isNull();
    }
}
