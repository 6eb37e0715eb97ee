package dev.parley.server.it;

import static dev.parley.server.it.ItSupport.PASSWORD;
import static dev.parley.server.it.ItSupport.WAIT;
import static dev.parley.server.it.ItSupport.login;
import static dev.parley.server.it.ItSupport.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ServerFrame;
import dev.parley.testkit.ChatServerProcess;
import dev.parley.testkit.ParleyCluster;
import dev.parley.testkit.TestConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code --auth-queue 2} with deliberately slow password hashes: a burst of hellos fills the auth
 * threads and the short queue, and the rest are refused with UNAVAILABLE at once instead of
 * waiting their turn behind every hash.
 */
class AuthQueueIT {
    /** Slow enough that a few registrations keep both auth threads busy for a while. */
    private static final int SLOW_ITERATIONS = 1_000_000;
    private static final int HELLOS = 40;

    @RegisterExtension
    static final ParleyCluster cluster = ParleyCluster.builder(AuthQueueIT.class).servers("auth-queue-it")
            .passwordIterations(SLOW_ITERATIONS).arg("--auth-queue", "2").build();
    private static final ChatServerProcess server = cluster.server();

    private record Answer(String user, ServerFrame frame, long nanos) {
    }

    @Test
    void hellosBeyondTheQueueAreRefusedAtOnceAndALaterLoginWorks() {
        List<String> names = new ArrayList<>();
        List<TestConnection> conns = new ArrayList<>();
        try {
            for (int i = 0; i < HELLOS; i++) {
                names.add(user("burst" + i));
                conns.add(server.connect());
            }
            long sent = System.nanoTime();
            for (int i = 0; i < HELLOS; i++) {
                // each a new account: every one that gets a thread pays a slow hash
                conns.get(i).send(new ClientFrame.Hello(names.get(i), PASSWORD, null, 0, null));
            }
            List<Answer> answers = firstAnswers(names, conns, sent);
            List<Answer> refused = answers.stream().filter(a -> a.frame() instanceof ServerFrame.Error).toList();
            List<Answer> welcomed = answers.stream().filter(a -> a.frame() instanceof ServerFrame.Welcome).toList();
            assertThat(welcomed.size() + refused.size()).as("every hello answered with welcome or error")
                    .isEqualTo(HELLOS);
            assertThat(refused).as("hellos refused").isNotEmpty();
            assertThat(welcomed).as("hellos served").isNotEmpty();
            for (Answer a : refused) {
                ServerFrame.Error e = (ServerFrame.Error) a.frame();
                assertThat(e.code()).as("refusal of " + a.user()).isEqualTo(ErrorCode.UNAVAILABLE);
                assertThat(e.message()).contains("server busy", "again");
            }
            // refused at once, not after the hashes ahead of them
            long slowestRefusal = refused.stream().mapToLong(Answer::nanos).max().orElseThrow();
            long slowestWelcome = welcomed.stream().mapToLong(Answer::nanos).max().orElseThrow();
            assertThat(slowestRefusal).as("ns to the last refusal vs. the last welcome (%d ms)",
                    slowestWelcome / 1_000_000).isLessThan(slowestWelcome);
            // a refused connection stays open and may try again; so does anyone later
            Answer retry = refused.get(0);
            TestConnection again = conns.get(names.indexOf(retry.user()));
            again.send(new ClientFrame.Hello(retry.user(), PASSWORD, null, 0, null));
            assertThat(again.expect(ServerFrame.Welcome.class, Duration.ofSeconds(30)).user()).isEqualTo(retry.user());
            String busy = server.get("/metrics").body();
            assertThat(busy).contains("parley_logins_refused_total{reason=\"busy\"} " + refused.size() + ".0");
        } finally {
            conns.forEach(TestConnection::close);
        }
        try (TestConnection later = login(server, user("later"))) {
            later.send(new ClientFrame.Ping());
            later.expect(ServerFrame.Pong.class);
        }
    }

    /** The first frame on each connection and when it was seen, polling them all in turn. */
    private static List<Answer> firstAnswers(List<String> names, List<TestConnection> conns, long sent) {
        Answer[] answers = new Answer[conns.size()];
        int left = conns.size();
        long end = System.nanoTime() + WAIT.multipliedBy(6).toNanos();
        while (left > 0 && System.nanoTime() < end) {
            for (int i = 0; i < conns.size(); i++) {
                if (answers[i] == null) {
                    ServerFrame f = conns.get(i).next(Duration.ofMillis(1));
                    if (f != null) {
                        answers[i] = new Answer(names.get(i), f, System.nanoTime() - sent);
                        left--;
                    }
                }
            }
        }
        if (left > 0) {
            fail(left + " of " + conns.size() + " hellos unanswered within " + WAIT.multipliedBy(6));
        }
        return List.of(answers);
    }
}
