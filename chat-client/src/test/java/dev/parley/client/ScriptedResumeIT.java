package dev.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.client.command.ExitCode;
import dev.parley.client.net.ScriptedServer;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.Protocol;
import org.junit.jupiter.api.Test;

/**
 * The whole interactive client against a scripted server: the exact hello it sends first and
 * after a drop, what it shows of a resume's replay, and how it reports a server that repeats a
 * message instead of silently hiding it.
 */
class ScriptedResumeIT {
    @Test
    void resumesAfterTheLastShownIdSkipsItsOwnReplayAndFlagsRepeats() throws Exception {
        try (ScriptedServer server = new ScriptedServer();
             ClientRun alice = ClientRun.start("pw", "127.0.0.1", Integer.toString(server.port()), "alice", "bob", "-i")) {
            ScriptedServer.Peer first = server.accept();
            assertThat(first.expect(ClientFrame.Hello.class)).isEqualTo(new ClientFrame.Hello("alice", "pw", "bob", 50, null).speaking(Protocol.VERSION));
            first.send("{\"type\":\"welcome\",\"user\":\"alice\",\"node\":\"n1\"}");
            first.send("{\"type\":\"history\",\"with\":\"bob\",\"messages\":["
                    + "{\"id\":5,\"from\":\"bob\",\"to\":\"alice\",\"text\":\"old\",\"ts\":1000}]}");
            first.send("{\"type\":\"msg\",\"id\":7,\"from\":\"carol\",\"to\":\"*\",\"text\":\"live\",\"ts\":2000}");
            alice.awaitOut("] carol -> all: live");
            assertThat(alice.out()).contains("-- last 1 message with bob:\n").contains("] bob -> you: old");

            alice.type("mine");
            ClientFrame.Send send = first.expect(ClientFrame.Send.class);
            assertThat(send.to()).isEqualTo("bob");
            assertThat(send.text()).isEqualTo("mine");
            assertThat(send.ref()).isNotBlank();
            first.send("{\"type\":\"ack\",\"ref\":\"" + send.ref() + "\",\"id\":9,\"ts\":3000}");
            alice.awaitOut("] you -> bob: mine");

            first.close();
            alice.awaitOut("!! connection lost: the server closed the connection; reconnecting in ");

            ScriptedServer.Peer second = server.accept();
            // since is the last message shown from others (7), not the own ack (9): a message 8 could still be on its way
            assertThat(second.expect(ClientFrame.Hello.class)).isEqualTo(new ClientFrame.Hello("alice", "pw", "bob", null, 7L).speaking(Protocol.VERSION));
            second.send("{\"type\":\"welcome\",\"user\":\"alice\",\"node\":\"n2\"}");
            second.send("{\"type\":\"msg\",\"id\":8,\"from\":\"bob\",\"to\":\"alice\",\"text\":\"missed\",\"ts\":2500}");
            second.send("{\"type\":\"msg\",\"id\":9,\"from\":\"alice\",\"to\":\"bob\",\"text\":\"mine\",\"ts\":3000}");
            second.send("{\"type\":\"msg\",\"id\":8,\"from\":\"bob\",\"to\":\"alice\",\"text\":\"missed\",\"ts\":2500}");
            second.send("{\"type\":\"msg\",\"id\":10,\"from\":\"bob\",\"to\":\"alice\",\"text\":\"new\",\"ts\":4000}");
            alice.awaitOut("] bob -> you: new");
            alice.awaitOut("-- reconnected to 127.0.0.1:" + server.port() + " (node n2); catching up after message #7");
            alice.type("/quit");
            second.expect(ClientFrame.Bye.class);
            alice.assertExit(ExitCode.OK);

            String out = alice.out();
            assertThat(ClientRun.occurrences(out, "] you -> bob: mine")).isEqualTo(1);
            assertThat(ClientRun.occurrences(out, "] bob -> you: missed")).isEqualTo(1);
            assertThat(out).contains("!! the server sent message #8 after #9 (out of order or a repeat); not shown again");
        }
    }

    @Test
    void resumesAfterTheWelcomesNewestIdAndSendsQueuedLinesOnlyAfterCaughtUp() throws Exception {
        try (ScriptedServer server = new ScriptedServer();
             ClientRun alice = ClientRun.start("pw", "127.0.0.1", Integer.toString(server.port()), "alice", "bob", "-i")) {
            ScriptedServer.Peer first = server.accept();
            first.expect(ClientFrame.Hello.class);
            first.send("{\"type\":\"welcome\",\"user\":\"alice\",\"node\":\"n1\",\"last\":3}");
            first.send("{\"type\":\"history\",\"with\":\"bob\",\"messages\":[]}");
            alice.awaitOut("no messages yet with bob");
            first.close();
            alice.awaitOut("!! connection lost");
            alice.type("typed while away");
            alice.awaitOut("not connected; it will be sent when the connection is back");

            ScriptedServer.Peer second = server.accept();
            // nothing was shown, yet the resume starts at the welcome's newest id, not at the beginning
            assertThat(second.expect(ClientFrame.Hello.class).since()).isEqualTo(3L);
            second.send("{\"type\":\"welcome\",\"user\":\"alice\",\"node\":\"n2\",\"last\":5}");
            second.send("{\"type\":\"msg\",\"id\":4,\"from\":\"bob\",\"to\":\"alice\",\"text\":\"while away\",\"ts\":4000}");
            second.send("{\"type\":\"msg\",\"id\":5,\"from\":\"bob\",\"to\":\"alice\",\"text\":\"still away\",\"ts\":5000}");
            alice.awaitOut("] bob -> you: still away");
            // the catch-up is not over until the server says so: the queued line waits
            assertThat(second.lineOtherThanReadWithin(java.time.Duration.ofSeconds(1))).isNull();
            second.send("{\"type\":\"caught-up\",\"last\":5}");
            ClientFrame.Send send = second.expect(ClientFrame.Send.class);
            assertThat(send.text()).isEqualTo("typed while away");
            second.send("{\"type\":\"ack\",\"ref\":\"" + send.ref() + "\",\"id\":6,\"ts\":6000}");
            alice.awaitOut("] you -> bob: typed while away");
            alice.type("/quit");
            alice.assertExit(ExitCode.OK);
            String out = alice.out();
            assertThat(out.indexOf("] you -> bob: typed while away")).isGreaterThan(out.indexOf("] bob -> you: still away"));
        }
    }
}
